#!/usr/bin/env bash
# The run command of the README: installs what is missing, builds, starts store-inspector.
# With no argument the window opens on the bundled example config; any arguments are passed
# through (a config, a scenario, a journal, or a command such as `run`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/build.sh" >&2
exec "$root/build/store-inspector" "$@"
