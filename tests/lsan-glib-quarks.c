/* lsan-glib-quarks.c — linked into the GUI tests of AddressSanitizer builds
 * only (tests/meson.build).
 *
 * GLib keeps the names of quarks in an array of 2048 pointers that it
 * allocates when it is loaded. When the 2049th quark is made it copies them
 * into a larger array and leaks the first one on purpose, so that lookups
 * need no lock (see gquark.c). A window with the code tab makes about 2350
 * quarks (GtkSourceView's languages and styles add some 600), so
 * LeakSanitizer reports that 16 KiB block at exit, with a stack that ends
 * in g_malloc: a suppression that matched it would hide every other leak.
 *
 * Instead, before any test runs, this finds that first array — the block of
 * exactly 2048 pointers, pointed to from GLib's own data, whose entry 1 is
 * the name of quark 1 — and keeps a pointer to it here, so it stays
 * reachable and nothing else is hidden.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <link.h>
#include <string.h>

/* From the sanitizer runtime (sanitizer/allocator_interface.h, which GCC
 * does not install everywhere). */
int    __sanitizer_get_ownership      (const volatile void *p);
size_t __sanitizer_get_allocated_size (const volatile void *p);

#define GLIB_QUARK_BLOCK_SIZE 2048 /* QUARK_BLOCK_SIZE in gquark.c */

static const char * const *first_quark_block;

static int
find_in_glib (struct dl_phdr_info *info,
              size_t               size,
              void                *data)
{
  const char *first_name = data;

  if (info->dlpi_name == NULL || strstr (info->dlpi_name, "libglib-2.0.so") == NULL)
    return 0;

  for (int i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
      const void * const *word;
      const void * const *end;

      if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
        continue;
      word = (const void * const *) (info->dlpi_addr + ph->p_vaddr);
      end = word + ph->p_memsz / sizeof (void *);
      for (; word < end; word++)
        {
          const char * const *block = (const char * const *) *word;

          /* Only blocks of our allocator are read: any other value could
           * point anywhere. */
          if (!__sanitizer_get_ownership (block) ||
              __sanitizer_get_allocated_size (block) != GLIB_QUARK_BLOCK_SIZE * sizeof (char *))
            continue;
          if (block[1] == first_name)
            {
              first_quark_block = block;
              return 1;
            }
        }
    }
  return 0;
}

__attribute__((constructor)) static void
keep_first_quark_block (void)
{
  /* The libraries' constructors ran: GObject has made its first quarks. */
  const char *first_name = g_quark_to_string (1);

  if (first_name != NULL)
    dl_iterate_phdr (find_in_glib, (void *) first_name);
  if (first_quark_block == NULL)
    g_printerr ("lsan-glib-quarks: GLib's first quark array was not found; "
                "LeakSanitizer may report it (16384 bytes)\n");
}
