#!/usr/bin/env bash
# Build Concurrency Lab and run its whole test suite headless under Xvfb,
# then again under the sanitizers:
#
#   build/       every suite                       plain build
#   build-asan/  every suite                       AddressSanitizer + UndefinedBehaviorSanitizer
#   build-tsan/  the "core" suite                  ThreadSanitizer
#
# The last line printed is the total over all runs, "N passed, N failed"
# (", N skipped" appended when some were skipped); the exit status is 0 only
# when nothing failed.
#
# Options:
#   --no-sanitize   only the plain build (quick)
#   --sanitize      all three builds (the default)
#   --suite=NAME    only this suite in the plain and ASan runs (repeatable);
#                   the TSan run then happens only if NAME is "core"
#   --no-deps       do not call build-aux/install-deps.sh
# Environment:
#   LAB_TEST_JOBS   tests run in parallel (default 2)
#   LAB_BUILD_DIR   the plain build directory (default build); the sanitizer
#                   builds are next to it, with -asan and -tsan appended
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

sanitize=1
install_deps=1
suites=()
for arg in "$@"; do
  case "$arg" in
    --no-sanitize) sanitize=0 ;;
    --sanitize) sanitize=1 ;;
    --no-deps) install_deps=0 ;;
    --suite=*) suites+=("${arg#--suite=}") ;;
    -h | --help)
      sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "run-tests: unknown option $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

if [[ $install_deps == 1 ]] && ! "$top/build-aux/install-deps.sh"; then
  echo "run-tests: installing the dependencies failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

jobs=${LAB_TEST_JOBS:-2}
builddir=${LAB_BUILD_DIR:-build}

# Headless and hermetic: an X server of our own, a private session bus, no
# Wayland compositor of the desktop we might be started from.
unset WAYLAND_DISPLAY
export GDK_BACKEND=x11
export NO_AT_BRIDGE=1
export GTK_A11Y=none
headless=()
if command -v xvfb-run >/dev/null 2>&1; then
  headless+=(xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp")
else
  # Under CI (CI=true) the GUI tests then fail instead of skipping.
  echo "run-tests: xvfb-run not found; the gui suite needs a display" >&2
fi
if command -v dbus-run-session >/dev/null 2>&1; then
  headless+=(dbus-run-session --)
fi

# Sanitizer runs get the address space layout the sanitizer runtimes of
# GCC 12 expect even on kernels with more mmap randomisation bits.
no_aslr=()
if setarch "$(uname -m)" -R true >/dev/null 2>&1; then
  no_aslr=(setarch "$(uname -m)" -R)
fi

total_passed=0
total_failed=0
total_skipped=0
report=()
failures=()

# build_stage NAME DIR MESON-OPTIONS...: configure DIR (reconfigure it when
# it exists, wipe it if that fails, e.g. after a meson upgrade) and build.
# A failure counts as one failed test.
build_stage() {
  local name=$1 dir=$2
  shift 2
  echo
  echo "=== $name: $dir ==="
  if [[ -f "$dir/meson-private/coredata.dat" ]]; then
    meson setup --reconfigure "$dir" "$@" || meson setup --wipe "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi && meson compile -C "$dir" && return 0

  echo "run-tests: $name: the build failed" >&2
  total_failed=$((total_failed + 1))
  report+=("$name: build failed")
  return 1
}

# summary_value LOG KEY: the number on meson's last "KEY: N" summary line.
summary_value() {
  local value
  value=$(grep -E "^$2:[[:space:]]+[0-9]+" "$1" | tail -n 1 | awk -F: '{ gsub(/[[:space:]]/, "", $2); print $2 }')
  echo "${value:-0}"
}

# failed_output TESTLOG "SUITE / NAME ...": the last lines of what that test
# printed, from meson's full log.
failed_output() {
  local test_name
  test_name=$(awk '{ print $1, $2, $3 }' <<<"$2")
  awk -v name="$test_name" '
    /^test:/ { keep = (index($0, name) > 0) }
    keep && length($0) == 78 && /^=+( [0-9]+\/[0-9]+ =+)?$/ { keep = 0 }
    keep { print "    " $0 }' "$1" | tail -n 40
}

# test_stage NAME DIR "SUITES" TIMEOUT-MULTIPLIER [ENV=VALUE...] [-- WRAPPER...]:
# run the given suites of DIR (all when empty) headless and add the counts of
# meson's summary to the totals.
test_stage() {
  local name=$1 dir=$2 stage_suites=$3 multiplier=$4
  shift 4
  local env=() wrapper=()
  while [[ $# -gt 0 ]]; do
    if [[ $1 == -- ]]; then
      shift
      wrapper=("$@")
      break
    fi
    env+=("$1")
    shift
  done

  local args=(-C "$dir" --no-rebuild --print-errorlogs --num-processes "$jobs"
    --timeout-multiplier "$multiplier")
  local suite
  for suite in $stage_suites; do
    args+=(--suite "$suite")
  done
  local log="$dir/meson-logs/run-tests.log"
  env "${env[@]}" "${headless[@]}" "${wrapper[@]}" meson test "${args[@]}" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}

  local ok expected_fail fail unexpected_pass skipped timeout
  ok=$(summary_value "$log" "Ok")
  expected_fail=$(summary_value "$log" "Expected Fail")
  fail=$(summary_value "$log" "Fail")
  unexpected_pass=$(summary_value "$log" "Unexpected Pass")
  skipped=$(summary_value "$log" "Skipped")
  timeout=$(summary_value "$log" "Timeout")

  local passed=$((ok + expected_fail))
  local failed=$((fail + unexpected_pass + timeout))
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # meson itself failed (unknown suite, harness error): not a pass.
    echo "run-tests: $name: meson test exited with status $status" >&2
    failed=1
  fi
  # Name each failed test and keep the end of its output, printed again just
  # above the totals so that it is seen where a log is cut to its tail.
  local line
  while IFS= read -r line; do
    report+=("  $line")
    failures+=("$name: $line")
    failures+=("$(failed_output "$dir/meson-logs/testlog.txt" "$line")")
  done < <(grep -E '^ *[0-9]+/[0-9]+ .*[[:space:]](FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)[[:space:]]' "$log" |
    sed -E 's/^ *[0-9]+\/[0-9]+ //; s/[[:space:]]+/ /g' | sort -u)
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
  report+=("$name: $passed ok, $failed failed, $skipped skipped")
}

# 1. Plain build, every suite.
if build_stage "plain" "$builddir" -Db_sanitize=none; then
  test_stage "plain" "$builddir" "${suites[*]}" 1
elif [[ $sanitize == 1 ]]; then
  # The sanitizer builds would fail the same way.
  sanitize=0
  report+=("asan+ubsan, tsan: not run")
fi

if [[ $sanitize == 1 ]]; then
  # 2. AddressSanitizer + UndefinedBehaviorSanitizer, every suite. Leaks are
  # reported, except those of the third-party libraries in lsan.supp. The GUI
  # tests still render with GL here: GDK's EGL probe loads and unloads Mesa's
  # driver, so in this build they keep loaded modules mapped
  # (tests/lsan-keep-modules.c) and a driver's leak is reported under its
  # own name, which lsan.supp then matches, instead of "<unknown module>".
  dir=$builddir-asan
  if build_stage "asan+ubsan" "$dir" -Db_sanitize=address,undefined -Db_lundef=false; then
    test_stage "asan+ubsan" "$dir" "${suites[*]}" 3 \
      "ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1" \
      "LSAN_OPTIONS=suppressions=$top/build-aux/lsan.supp:print_suppressions=0" \
      "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1" \
      "G_SLICE=always-malloc" \
      -- "${no_aslr[@]}"
  fi

  # 3. ThreadSanitizer on the core suite (threads, recorder, runner,
  # experiments). GLib is not instrumented: tsan-glib.c, preloaded, shows
  # ThreadSanitizer GLib's locks, queues and hand-overs, and memset/free
  # called from inside GLib are not checked (ignore_noninstrumented_modules).
  dir=$builddir-tsan
  if [[ ${#suites[@]} -eq 0 || " ${suites[*]} " == *" core "* ]] &&
    build_stage "tsan" "$dir" -Db_sanitize=thread; then
    shim=$top/$dir/libtsan-glib.so
    [[ $dir == /* ]] && shim=$dir/libtsan-glib.so
    # shellcheck disable=SC2046 # pkg-config prints words
    if cc -shared -fPIC -O1 -g -o "$shim" "$top/build-aux/tsan-glib.c" $(pkg-config --cflags gio-2.0); then
      test_stage "tsan" "$dir" "core" 5 \
        "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1" \
        "LD_PRELOAD=$shim" \
        -- "${no_aslr[@]}"
    else
      echo "run-tests: tsan: could not build $shim" >&2
      total_failed=$((total_failed + 1))
      report+=("tsan: build of tsan-glib.c failed")
    fi
  fi
fi

echo
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "--- what the failed tests printed last ---"
  printf '%s\n' "${failures[@]}"
  echo
fi
printf '%s\n' "${report[@]}"
line="$total_passed passed, $total_failed failed"
if [[ $total_skipped -gt 0 ]]; then
  line+=", $total_skipped skipped"
fi
echo "$line"
[[ $total_failed -eq 0 ]]
