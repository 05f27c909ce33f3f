/* lsan-dtls.c — linked into the GUI tests of AddressSanitizer builds only
 * (tests/meson.build).
 *
 * At exit LeakSanitizer stops every thread and scans its stack and TLS. The
 * __tls_get_addr interceptor of the sanitizer runtime of GCC 12 takes a
 * dynamic TLS block whose address is 16 bytes past a page boundary for one
 * with the header of glibc before 2.25, and reads the two words before it
 * as that block's range. A GUI test has many threads and modules with
 * dynamic TLS, so now and then an ordinary block lands there; the scan then
 * reads an invalid range and the tracer dies ("Tracer caught signal 11",
 * "LeakSanitizer has encountered a fatal error") before reporting anything,
 * more often under load. Without the interceptor LeakSanitizer still scans
 * static TLS and every stack; ASAN_OPTIONS or LSAN_OPTIONS can turn it on
 * again (intercept_tls_get_addr=1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

const char *__lsan_default_options (void);

const char *
__lsan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}
