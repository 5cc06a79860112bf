#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan + UBSan, -DSI_FUZZ=ON) into ./build-fuzz and runs
# the six of them side by side, each for SECONDS (default 60), from seed corpora made from
# assets/ (configs, scenarios, and journals the CLI writes for each scenario) and, for the SQL
# targets (boot: one boot statement per line; query: one query box statement), from the
# statements written below. New corpus
# entries stay in build-fuzz/corpus/<target>; crashes land in build-fuzz/artifacts/<target>/
# and fail the script. The same build has the unit tests (sanitized): scripts/hardening.sh.
#
# Usage: scripts/fuzz.sh [SECONDS]      (needs clang-14 libclang-rt-14-dev)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
build="$root/build-fuzz"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DSI_FUZZ=ON -DSI_BUILD_GUI=OFF -DSI_BUILD_TESTS="${SI_FUZZ_TESTS:-OFF}" >/dev/null
cmake --build "$build" -j "${JOBS:-2}"

# Seed corpora (copied fresh each run; what the fuzzer found before is kept alongside).
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/config" "$seeds/scenario" "$seeds/journal" "$seeds/boot" "$seeds/query" "$seeds/live"
cp "$root"/assets/configs/*.json "$seeds/config/"
# Scenarios with their config inlined (the fuzz target reads inline configs only).
for s in "$root"/assets/scenarios/*.json; do
  python3 - "$s" "$seeds/scenario/$(basename "$s")" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
sc = json.load(open(src))
if isinstance(sc.get("config"), str):
    cfg = json.load(open(os.path.join(os.path.dirname(src), sc["config"])))
    sc["config"] = cfg
json.dump(sc, open(dst, "w"))
PY
  # Journals: whatever the scenario's outcome, the CLI writes one. Run on the inlined copy, so
  # file-backed stores land under $seeds, never under assets/.
  (cd "$seeds/journal" && "$build/store-inspector" run "$seeds/scenario/$(basename "$s")" \
     --journal "$seeds/journal/$(basename "$s" .json).sqlite" >/dev/null 2>&1 || true)
  rm -f "$seeds/journal/"*-wal "$seeds/journal/"*-shm
done
cp "$seeds/config/"*.json "$seeds/scenario/" 2>/dev/null || true

# SQL seeds: one file per entry; in boot seeds a newline separates statements.
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%b' "$line" >"$seeds/boot/seed-$n.sql"
done <<'SQL'
INSERT OR IGNORE INTO issue(id, title) VALUES (:issueId, 'Issue ' || :issueId)
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)\nINSERT INTO t(b) VALUES (:storeId)\nCREATE INDEX tb ON t(b)
PRAGMA foreign_keys = ON\nCREATE TABLE c(id TEXT REFERENCES issue(id))\nINSERT INTO c VALUES ('x')
CREATE VIRTUAL TABLE f USING fts3(body)\nINSERT INTO f VALUES ('hello world')
CREATE TRIGGER tr AFTER INSERT ON issue BEGIN UPDATE issue SET title = upper(title) WHERE id = new.id; END\nINSERT INTO issue VALUES ('2', 'two')
INSERT INTO issue(id) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) SELECT x FROM c
VACUUM\nPRAGMA user_version = 3\nCREATE VIEW v AS SELECT * FROM issue\nSELECT * FROM v
ATTACH 'other.db' AS other\nVACUUM INTO 'copy.db'
SELECT fts3_tokenizer('simple', x'4141414141414141')\nCREATE VIRTUAL TABLE f USING fts3(body)
SQL
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" >"$seeds/query/seed-$n.sql"
done <<'SQL'
SELECT * FROM issue
SELECT id, title FROM issue WHERE id IN (SELECT id FROM issue ORDER BY title LIMIT 2)
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50) SELECT x, x * x FROM c
SELECT body, snippet(f) FROM f WHERE f MATCH 'hello'
SELECT * FROM v JOIN issue USING (id) GROUP BY title HAVING COUNT(*) > 0 ORDER BY 1 DESC
PRAGMA table_info(issue)
SELECT * FROM pragma_index_list('issue')
EXPLAIN QUERY PLAN SELECT * FROM issue WHERE title = 'x'
SELECT json_extract('{"a": [1, 2]}', '$.a[1]'), printf('%5.2f', 3.14159), typeof(n) FROM issue
SELECT fts3_tokenizer('simple')
PRAGMA user_version = 5
SQL

# Live protocol seeds: every line of the recorded traces, one message per file.
n=0
for trace in "$root"/assets/traces/*.ndjson; do
  while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" >"$seeds/live/seed-$n.json"
  done <"$trace"
done
printf '%s' '{"v":1,"t":3,"step":{"createRegistry":{"name":"req-1"}}}' >"$seeds/live/step-create.json"
printf '%s' '{"v":1,"t":4,"step":{"expect":{"registry":true,"live":1}}}' >"$seeds/live/step-expect.json"
printf '%s' '{"v":1,"t":5,"step":{"drop":"x"}}' >"$seeds/live/step-drop.json"
printf '%s' '{"v":1,"t":6,"dropped":3}' >"$seeds/live/heartbeat-dropped.json"
# The shapes the quick reader takes (live/quick_reader.hpp), as TanStack's bridge writes them.
printf '%s' '{"v":1,"t":7,"step":{"attach":{"observer":"q1","storeId":"[\"s-1\"]","gcTime":1000,"adapter":{"type":"external"}}}}' >"$seeds/live/quick-attach.json"
printf '%s' '{"v":1,"t":8,"step":{"loaded":"[\"s-1\"]"}}' >"$seeds/live/quick-loaded.json"
printf '%s' '{"v":1,"t":9,"observed":{"kind":"created","storeId":"[\"s-1\"]","instance":"i1"}}' >"$seeds/live/quick-observed.json"

status=0
run_target() {
  local target=$1
  local corpus="$build/corpus/$target" artifacts="$build/artifacts/$target"
  local work="$build/work/$target"   # the fuzzer's working directory: relative paths land here
  mkdir -p "$corpus" "$artifacts" "$work"
  (cd "$work" && "$build/tests/fuzz/fuzz_$target" "$corpus" "$seeds/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" >"$build/fuzz_$target.log" 2>&1)
}
targets="config scenario journal boot query live"
echo "== fuzz_config, fuzz_scenario, fuzz_journal, fuzz_boot, fuzz_query, fuzz_live: ${seconds}s each, side by side"
pids=()
for target in $targets; do
  run_target "$target" &
  pids+=($!)
done
i=0
for target in $targets; do
  set +e
  wait "${pids[$i]}"
  rc=$?
  set -e
  i=$((i + 1))
  artifacts="$build/artifacts/$target"
  echo "-- fuzz_$target"
  grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==ERROR|SUMMARY" "$build/fuzz_$target.log" || true
  if [ $rc -ne 0 ]; then
    echo "fuzz_$target: exit status $rc (see $build/fuzz_$target.log)"
    status=1
  fi
  if ls "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* >/dev/null 2>&1; then
    echo "fuzz_$target: findings in $artifacts"
    status=1
  fi
done
exit $status
