#!/bin/sh
# Window test: open a scenario in a real window under Xvfb, save a screenshot, check its pixels.
#   window_test.sh XVFB_RUN STORE_INSPECTOR CHECKER PNG SCENARIO
set -eu
xvfb=$1 bin=$2 check=$3 png=$4 scenario=$5
mkdir -p "$(dirname "$png")"
rm -f "$png"
"$xvfb" -a -s "-screen 0 1280x800x24" "$bin" --screenshot "$png" --frames 5 "$scenario"
test -s "$png"
"$check" "$png"
