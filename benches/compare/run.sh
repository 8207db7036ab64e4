#!/usr/bin/env bash
# Runs loggningsindex and its peers — DuckDB (duckdb_windows.py) and Polars
# (polars_rules.py), the same rules written as well as each engine allows —
# on the same file, one after the other with 2 threads each, and checks that
# every peer's per-company counts equal ours.
#
#   benches/compare/run.sh [small|national|FILE.csv]    # default national
#
# `national` is `generate --preset national` (10 M events, 381 k people,
# 70 k companies); `small` is `generate --events 10000000 --seed 0` (a year
# of 20 k people). Needs python3 with duckdb and polars
# (pip install duckdb polars). Writes into ${TMPDIR:-/tmp}.
set -euo pipefail
cd "$(dirname "$0")/../.."
which=${1:-national}
dir=${TMPDIR:-/tmp}/loggningsindex-compare
mkdir -p "$dir"
cargo build --release --quiet
bin=target/release/loggningsindex
case "$which" in
    national) csv="$dir/national.csv"; [ -f "$csv" ] || "$bin" generate --preset national -o "$csv" ;;
    small) csv="$dir/small.csv"; [ -f "$csv" ] || "$bin" generate --events 10000000 --seed 0 -o "$csv" ;;
    *) csv="$which" ;;
esac
ls -l "$csv"
time="/usr/bin/time -f %e_s_wall,_%M_KB_peak"

echo "== loggningsindex compute (2 threads)"
$time "$bin" compute "$csv" --threads 2 -o "$dir/ours.json"

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

echo "== DuckDB: the rules"
$time python3 benches/compare/duckdb_windows.py "$csv" --threads 2 --json "$dir/duckdb.json"
python3 benches/compare/compare.py "$dir/duckdb.json" "$dir/ours.json"

echo "== Polars: the rules"
$time python3 benches/compare/polars_rules.py "$csv" --threads 2 --json "$dir/polars.json"
python3 benches/compare/compare.py "$dir/polars.json" "$dir/ours.json"
