/* lsan-keep-modules.c — linked into the GUI tests of AddressSanitizer builds
 * only (tests/meson.build).
 *
 * While GDK sets up OpenGL on X11 it first tries EGL: libEGL_mesa loads
 * Mesa's swrast_dri.so (with libdrm, libpciaccess, libsensors, libelf),
 * fails, and unloads it again before falling back to GLX. Anything those
 * libraries allocated and kept is then reported by LeakSanitizer at exit
 * with a stack in "<unknown module>", because the module is gone by the
 * time the report is symbolised; no suppression can name it, and the
 * report depends on the machine's Mesa and hardware.
 *
 * Keeping every loaded module mapped until exit lets LeakSanitizer name the
 * library, so build-aux/lsan.supp can suppress exactly the third-party
 * drivers it lists and still report everything else. The plain build does
 * not get this and exercises the real dlclose().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

int dlclose (void *handle);

int
dlclose (void *handle)
{
  (void) handle;
  return 0;
}
