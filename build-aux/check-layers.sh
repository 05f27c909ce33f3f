#!/usr/bin/env bash
# Checks the include rules of docs/LAYOUT.md, so that a wrong #include
# fails the tests instead of slowly tying the folders together:
#
#   - src/core, src/experiments, src/worker and src/render never include
#     GTK, GDK, GSK or libadwaita;
#   - a folder includes project headers only from itself and the folders
#     below it (render → core; widgets → render, core; never back up);
#     inside src/core/ each subsystem folder likewise (trace → base;
#     run → trace; model → run; …; see the table below), so no two
#     subsystems form a circle;
#   - a file in src/widgets/ includes no other widget's header: a widget's
#     own header and its -private.h are fine, and so are helpers that are
#     no widget (the shared drawing vocabulary lives in src/render/).
#
# Usage: check-layers.sh [SOURCE_ROOT]. Prints one line per broken rule
# and exits 1 if there was any.
set -uo pipefail

top=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$top/src" || exit 1

status=0
fail() {
  echo "check-layers: $1"
  status=1
}

# The subsystems of src/core/, each with its own folder.
core_all=""
for d in core/*/; do
  core_all+=" ${d%/}"
done

# Which folders a folder may include project headers from. A core
# subsystem that is not listed may use every other one (it sits on top);
# the check-layers test then still catches GTK and upward includes.
declare -A allowed=(
  [core/base]="core/base"
  [core/trace]="core/trace core/base"
  [core/net]="core/net core/base"
  [core/proc]="core/proc core/trace core/base"
  [core/run]="core/run core/trace core/base"
  [core/model]="core/model core/run core/trace core/base"
  [experiments]="experiments$core_all"
  [worker]="worker$core_all"
  [render]="render$core_all"
  [widgets]="widgets render$core_all"
)
for d in $core_all; do
  if [[ -z "${allowed[$d]+x}" ]]; then
    allowed[$d]="$core_all"
  fi
done

# The folder that holds header $1 ("" if none does: a system or
# generated header).
home_of() {
  local dir
  for dir in $core_all experiments worker render widgets app; do
    if [[ -e "$dir/$1" ]]; then
      echo "$dir"
      return
    fi
  done
}

# A widget is a header in src/widgets/ that declares a type.
widgets=()
for h in widgets/*.h; do
  if grep -q 'G_DECLARE_' "$h"; then
    widgets+=("$(basename "$h" .h)")
  fi
done

# The widget that file $1 belongs to: the longest widget name it starts
# with, followed by "." or "-" ("" for a helper).
owner_of() {
  local name=$1 best="" w
  for w in "${widgets[@]}"; do
    if [[ "$name" == "$w."* || "$name" == "$w-"* ]] && (( ${#w} > ${#best} )); then
      best=$w
    fi
  done
  echo "$best"
}

for dir in "${!allowed[@]}"; do
  for file in "$dir"/*.c "$dir"/*.h; do
    [[ -e "$file" ]] || continue
    base=$(basename "$file")

    if [[ "$dir" != widgets ]] &&
       grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(gtk|gdk|gsk)/|^[[:space:]]*#[[:space:]]*include[[:space:]]*<adwaita\.h>' "$file"; then
      fail "$file includes GTK, but src/$dir/ is GTK-free"
    fi

    while read -r header; do
      home=$(home_of "$header")
      [[ -n "$home" ]] || continue
      if [[ " ${allowed[$dir]} " != *" $home "* ]]; then
        fail "$file includes $home/$header, but src/$dir/ may only include from: ${allowed[$dir]}"
        continue
      fi
      if [[ "$dir" == widgets && "$home" == widgets ]]; then
        target=$(owner_of "$header")
        own=$(owner_of "$base")
        if [[ -n "$target" && "$target" != "$own" ]]; then
          fail "$file includes $header of another widget ($target); share through src/render/ instead"
        fi
      fi
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
  done
done

if (( status == 0 )); then
  echo "check-layers: every include follows docs/LAYOUT.md"
fi
exit $status
