#!/usr/bin/env bash
# The package test (called by scripts/test.sh, after the build): builds the .deb from the
# existing build dir with CPack, checks its metadata and file list, unpacks it into a scratch
# root (dpkg -x) and runs what it installed there: `store-inspector --version`, `check` on
# every installed example, a screenshot of the window under Xvfb, the .desktop entry
# (desktop-file-validate, Exec and Icon resolve to installed files), the icons (each PNG has
# its size) and the man page (renders, says what --help says). As root with CI=true it also installs the package for real (dpkg -i), runs
# the installed command from PATH and removes the package again.
# Usage: scripts/package_test.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(cd "${1:-build}" && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/si-package-test.XXXXXX")"
installed_for_real=0
cleanup() {
  if [ "$installed_for_real" = 1 ]; then dpkg -r store-inspector >/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

failures=0
fail() { echo "package_test: FAIL $*" >&2; failures=$((failures + 1)); }
ok() { echo "package_test: ok   $*"; }

version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
[ -n "$version" ] || { echo "package_test: no project version in $build/CMakeCache.txt" >&2; exit 1; }

# ---- build the package (cmake/install.cmake: CPACK_PACKAGE_DIRECTORY is $build/package) ----
cmake --build "$build" -j "${JOBS:-2}" >/dev/null   # the man page and icons are build outputs
rm -f "$build"/package/store-inspector_*.deb
(cd "$build" && cpack -G DEB >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log" >&2; exit 1; }
debs=("$build"/package/store-inspector_"$version"_*.deb)
[ -f "${debs[0]}" ] || { echo "package_test: cpack made no store-inspector_${version}_*.deb" >&2; cat "$scratch/cpack.log" >&2; exit 1; }
deb="${debs[0]}"
ok "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# ---- metadata ----
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = store-inspector ] || fail "Package is '$(field Package)', not store-inspector"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
depends="$(field Depends)"
# The package names in Depends, one a line ("libc6 (>= 2.34), libglfw3 (>= 3.3)" -> libc6, ...).
depends_names="$(tr ',|' '\n\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//' | grep -v '^$' || true)"
# The libraries the binary links (from dpkg-shlibdeps): a Depends without them installs on a
# fresh Debian 12 and then fails to start. libglfw3 brings libgl1 and the Mesa drivers (GLFW
# loads OpenGL at run time).
need=(libc6 libstdc++6 libgcc-s1 libsqlite3-0)
if grep -q "^SI_BUILD_GUI:BOOL=ON" "$build/CMakeCache.txt"; then need+=(libglfw3); fi
for pkg in "${need[@]}"; do
  grep -qxF "$pkg" <<<"$depends_names" || fail "Depends lacks $pkg: $depends"
done
ok "Depends: $depends"

# ---- contents ----
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$scratch/contents"
expected=(/usr/bin/store-inspector
          /usr/share/applications/store-inspector.desktop
          /usr/share/icons/hicolor/scalable/apps/store-inspector.svg
          /usr/share/man/man1/store-inspector.1.gz
          /usr/share/store-inspector/assets/configs/linear.json
          /usr/share/store-inspector/assets/traces/livestore-double-boot.ndjson)
sizes=(16 32 48 64 128 256)
for s in "${sizes[@]}"; do expected+=("/usr/share/icons/hicolor/${s}x${s}/apps/store-inspector.png"); done
# Every shipped example, and nothing the tests wrote into the source tree.
for f in assets/configs/*.json assets/scenarios/*.json assets/traces/*; do
  expected+=("/usr/share/store-inspector/$f")
done
mapfile -t expected < <(printf '%s\n' "${expected[@]}" | sort -u)
for f in "${expected[@]}"; do grep -qxF "$f" "$scratch/contents" || fail "the package lacks $f"; done
if grep -Eq '\.sqlite|/stores/' "$scratch/contents"; then
  fail "the package holds files the tests write: $(grep -E '\.sqlite|/stores/' "$scratch/contents" | head -3)"
fi
ok "contents: ${#expected[@]} expected files present ($(grep -vc '/$' "$scratch/contents") entries)"

# ---- unpacked into a scratch root: the installed binary and its installed assets ----
root="$scratch/root"
dpkg -x "$deb" "$root"
bin="$root/usr/bin/store-inspector"
assets="$root/usr/share/store-inspector/assets"
[ -x "$bin" ] || fail "$bin is not executable"
got="$("$bin" --version)" || fail "store-inspector --version exited $?"
[ "$got" = "store-inspector $version" ] || fail "--version printed '$got', not 'store-inspector $version'"
ok "--version: $got"
if ldd "$bin" | grep -q 'not found'; then fail "unresolved libraries: $(ldd "$bin" | grep 'not found')"; fi

# `check` on the installed examples: each config and scenario, one call (scenarios find their
# configs through ../configs/, so this also checks the installed tree's layout).
mapfile -t examples < <(find "$assets/configs" "$assets/scenarios" -name '*.json' | sort)
[ "${#examples[@]}" -ge 3 ] || fail "only ${#examples[@]} examples installed under $assets"
if out="$(cd "$scratch" && "$bin" check "${examples[@]}" 2>&1)"; then
  n_ok="$(grep -c ': ok (' <<<"$out" || true)"
  [ "$n_ok" = "${#examples[@]}" ] || fail "check: $n_ok of ${#examples[@]} ok: $out"
  grep -q 'issue-navigation.json: ok (scenario' <<<"$out" || fail "check did not pass issue-navigation.json: $out"
  ok "check: ${#examples[@]} installed examples ok"
else
  fail "check on the installed examples exited non-zero: $out"
fi
# check never writes (file-backed stores go to a private scratch folder): nothing in the
# installed tree is newer than the package it came from.
written="$(find "$root" -newer "$deb" -type f)"
[ -z "$written" ] || fail "check wrote into the installed tree: $written"

# The window opens from the installed tree (GL through GLFW, fonts, the bundled example) and
# renders a screenshot under Xvfb.
if grep -q "^SI_BUILD_GUI:BOOL=ON" "$build/CMakeCache.txt"; then
  if ! command -v xvfb-run >/dev/null; then
    fail "xvfb-run is missing (xvfb, scripts/deps.sh)"
  elif HOME="$scratch/home" xvfb-run -a -s "-screen 0 1280x800x24" \
         "$bin" --screenshot "$scratch/window.png" --frames 3 >"$scratch/window.log" 2>&1 &&
       [ -s "$scratch/window.png" ]; then
    ok "the installed window rendered the bundled example ($(du -k "$scratch/window.png" | cut -f1) KiB PNG)"
  else
    fail "the installed window did not render: $(cat "$scratch/window.log")"
  fi
fi

# ---- the desktop entry ----
desktop="$root/usr/share/applications/store-inspector.desktop"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
else
  fail "desktop-file-validate is missing (desktop-file-utils, scripts/deps.sh)"
fi
exec_bin="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")"
[ -x "$root/usr/bin/$exec_bin" ] || fail "Exec=$exec_bin is not an installed /usr/bin program"
icon="$(sed -n 's/^Icon=//p' "$desktop")"
[ -n "$icon" ] || fail "the desktop entry has no Icon="
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "Icon=$icon has no scalable SVG"
for s in "${sizes[@]}"; do
  png="$root/usr/share/icons/hicolor/${s}x${s}/apps/$icon.png"
  # PNG signature, then IHDR width and height (big-endian) at bytes 16..23.
  dims="$(od -An -tx1 -N24 "$png" 2>/dev/null | tr -d " \n" || true)"
  want="89504e470d0a1a0a0000000d49484452$(printf '%08x%08x' "$s" "$s")"
  [ "$dims" = "$want" ] || fail "$png is not a ${s}x${s} PNG"
done
ok "desktop entry valid, Exec=$exec_bin, Icon=$icon (svg + ${sizes[*]})"

# ---- the man page: renders, and says what --help says ----
page="$root/usr/share/man/man1/store-inspector.1.gz"
flat() { tr -s '[:space:]' ' ' | sed 's/^ //; s/ $//'; }
if ! command -v man >/dev/null; then
  fail "man is missing (man-db, scripts/deps.sh)"
elif ! man_text="$(LC_ALL=C MANWIDTH=100 man -l "$page" 2>"$scratch/man.err")" || [ -s "$scratch/man.err" ]; then
  fail "man -l $page: $(cat "$scratch/man.err")"
else
  for section in NAME SYNOPSIS DESCRIPTION COMMANDS FILES EXAMPLES; do
    grep -qx "$section" <<<"$man_text" || fail "the man page has no $section section"
  done
  # Every line of --help and of each command's --help, whitespace aside, is in the page.
  man_flat=" $(flat <<<"$man_text") "
  lines=0
  while IFS= read -r line; do
    line="$(flat <<<"$line")"
    [ -n "$line" ] || continue
    lines=$((lines + 1))
    [[ "$man_flat" == *" $line "* ]] || fail "the man page lacks the --help text '$line'"
  done < <("$bin" --help; for c in run check compare; do "$bin" "$c" --help; done)
  [ "$lines" -gt 30 ] || fail "only $lines lines of --help to compare with the man page"
  ok "man page renders ($(wc -l <<<"$man_text") lines) and carries all $lines lines of --help"
fi

# ---- for real: dpkg -i as root in CI (a fresh machine), then dpkg -r ----
if [ "$(id -u)" = 0 ] && [ "${CI:-}" = true ]; then
  if dpkg -i "$deb" >"$scratch/dpkg.log" 2>&1; then
    installed_for_real=1
    got="$(store-inspector --version)" || fail "installed store-inspector --version exited $?"
    [ "$got" = "store-inspector $version" ] || fail "installed --version printed '$got'"
    [ "$(command -v store-inspector)" = /usr/bin/store-inspector ] ||
      fail "store-inspector on PATH is $(command -v store-inspector), not /usr/bin/store-inspector"
    (cd "$scratch" && store-inspector check /usr/share/store-inspector/assets/scenarios/issue-navigation.json) ||
      fail "installed store-inspector check failed"
    dpkg -r store-inspector >/dev/null || fail "dpkg -r store-inspector"
    installed_for_real=0
    [ ! -e /usr/bin/store-inspector ] || fail "dpkg -r left /usr/bin/store-inspector"
    ok "dpkg -i, --version, check, dpkg -r"
  else
    fail "dpkg -i $deb: $(cat "$scratch/dpkg.log")"
  fi
fi

if [ "$failures" -ne 0 ]; then
  echo "package_test: $failures failure(s)" >&2
  exit 1
fi
echo "package_test: all checks passed"
