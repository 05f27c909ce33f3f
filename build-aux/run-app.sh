#!/usr/bin/env bash
# Build Concurrency Lab and start it from the build tree, without installing.
# Arguments are passed to the application, e.g.
#   build-aux/run-app.sh --list
#   build-aux/run-app.sh --run=race-counter --set=lock=true --json
# Set LAB_SKIP_DEPS=1 to skip the dependency check.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

"$top/build-aux/install-deps.sh"

if [[ ! -f build/meson-private/coredata.dat ]]; then
  meson setup build >&2
fi
meson compile -C build >&2

# The schema compiled into build/data; translations are found by the binary
# itself next to its build tree (build/po).
export GSETTINGS_SCHEMA_DIR="$top/build/data"

app=("$top/build/src/app/concurrency-lab" "$@")

# The window outside a desktop session (ssh, a bare X server) gets a session
# bus of its own, so that GApplication and settings work. The command line
# modes need none.
window=1
for arg in "$@"; do
  case "$arg" in
    --list | --run | --run=* | --set* | --repeat* | --json | --export* | -h | --help*) window=0 ;;
  esac
done
if [[ $window == 1 && -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]] &&
  [[ ! -S "${XDG_RUNTIME_DIR:-/nonexistent}/bus" ]] &&
  command -v dbus-run-session >/dev/null 2>&1; then
  exec dbus-run-session -- "${app[@]}"
fi
exec "${app[@]}"
