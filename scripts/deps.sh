#!/usr/bin/env bash
# Installs the Debian packages Store Inspector needs, only if some are missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config
          libsqlite3-dev nlohmann-json3-dev libboost-dev libgtest-dev libgmock-dev libbenchmark-dev
          libimgui-dev libglfw3-dev python3-glad libgl-dev libgl1-mesa-dri libglx-mesa0
          xvfb xauth xdotool fonts-dejavu-core
          clang-14 libclang-rt-14-dev python3
          librsvg2-bin dpkg-dev desktop-file-utils man-db
          chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
