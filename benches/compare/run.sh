#!/usr/bin/env bash
# Runs loggningsindex and the DuckDB formulation of the same rules on the same
# synthetic file, side by side, and checks that their per-company counts agree.
#
#   benches/compare/run.sh [EVENTS]        # default 10000000
#
# Needs python3 with duckdb (pip install duckdb). Writes into ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-10000000}
dir=${TMPDIR:-/tmp}/loggningsindex-compare
mkdir -p "$dir"
csv="$dir/events-$events.csv"

cargo build --release --quiet
bin=target/release/loggningsindex
[ -f "$csv" ] || "$bin" generate --events "$events" --seed 1 -o "$csv"
ls -l "$csv"

echo "== loggningsindex compute (2 threads)"
/usr/bin/time -f "%e s wall, %M KB peak" "$bin" compute "$csv" --threads 2 > "$dir/ours.json"

echo "== DuckDB: parse and convert every field only"
python3 - "$csv" <<'PY'
import sys, time, duckdb
con = duckdb.connect(); con.execute("SET threads = 2"); con.execute("SET TimeZone = 'Europe/Stockholm'")
t = time.perf_counter()
n = con.execute(f"""SELECT count(*), count(DISTINCT person), min(CAST(timestamp AS TIMESTAMPTZ))
                   FROM read_csv('{sys.argv[1]}', header = true, all_varchar = true)""").fetchone()[0]
s = time.perf_counter() - t
print(f"duckdb parse: {n} rows, {s:.2f} s, {n / s / 1e6:.2f} M events/s")
PY

echo "== DuckDB: the full rules"
python3 benches/compare/duckdb_rules.py "$csv" --threads 2 --json "$dir/duckdb.json"

echo "== agreement"
python3 benches/compare/compare.py "$dir/duckdb.json" "$dir/ours.json"
