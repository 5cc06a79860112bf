#!/bin/sh
# Without a display the window says so in one line and exits 2.
#   no_display_test.sh STORE_INSPECTOR
bin=$1
err=$(env -u DISPLAY -u WAYLAND_DISPLAY XDG_CONFIG_HOME="${TMPDIR:-/tmp}/si-no-display" "$bin" 2>&1 >/dev/null)
status=$?
lines=$(printf '%s\n' "$err" | wc -l)
printf 'exit %s, %s line(s): %s\n' "$status" "$lines" "$err"
[ "$status" -eq 2 ] && [ "$lines" -eq 1 ] && printf '%s' "$err" | grep -q "display"
