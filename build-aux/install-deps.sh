#!/usr/bin/env bash
# Install what Concurrency Lab needs to build, run, test under Xvfb and run the
# sanitizers, on Debian 12 or Ubuntu 24.04 (or newer).
#
# Idempotent: when every package is already installed it does nothing (no
# `apt-get update`), so the run and test scripts can call it every time.
# Uses sudo only when not run as root. Set LAB_SKIP_DEPS=1 to skip it.
set -euo pipefail

packages=(
  # compiler (the sanitizer runtimes libasan, libubsan, libtsan come with gcc)
  build-essential
  meson
  ninja-build
  pkg-config
  # libraries
  libglib2.0-dev
  libglib2.0-bin
  libgtk-4-dev
  libgtk-4-bin
  libadwaita-1-dev
  libjson-glib-dev
  libcurl4-openssl-dev
  # the code tab: highlighted, numbered, read-only Python listings
  libgtksourceview-5-dev
  ca-certificates
  # translations, desktop file, AppStream metadata, GSettings schema, icons
  gettext
  desktop-file-utils
  appstream
  gtk-update-icon-cache
  # running: icons (SVG loader), fonts, software GL, settings that persist,
  # the accessibility bus
  adwaita-icon-theme
  hicolor-icon-theme
  librsvg2-common
  fonts-dejavu-core
  libgl1-mesa-dri
  dconf-gsettings-backend
  at-spi2-core
  # headless tests: X server, its auth helper and a private session bus
  xvfb
  xauth
  dbus
  # the layout tests press keys and turn the wheel through the X server
  libxtst6
  # programs the subprocess experiment runs (its "bc" preset; ls, sleep and
  # the like come with every system)
  bc
  # the CPython the lab traces and compares its model with (/usr/bin/python3)
  python3
)

if [[ "${LAB_SKIP_DEPS:-0}" == 1 ]]; then
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: not a Debian or Ubuntu system; install the equivalents of:" >&2
  echo "  ${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != installed ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: missing packages and neither root nor sudo: ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
apt_options=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300)
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_options[@]}" "${missing[@]}"
