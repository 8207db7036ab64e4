#!/usr/bin/env bash
# Checks that the peers compute exactly what loggningsindex computes, on
# random registers that try the rules' edges (random_register.py).
#
#   benches/compare/check.sh [N]        # default 60 registers
#
# Needs python3 with duckdb and polars (pip install duckdb polars).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-60}
dir=${TMPDIR:-/tmp}/loggningsindex-check
mkdir -p "$dir"
cargo build --release --quiet
bin=target/release/loggningsindex
for seed in $(seq 1 "$n"); do
    csv="$dir/r$seed.csv"
    python3 benches/compare/random_register.py "$seed" "$csv"
    "$bin" compute "$csv" -o "$dir/ours.json" 2>/dev/null
    python3 benches/compare/duckdb_windows.py "$csv" --threads 1 --json "$dir/duckdb.json" >/dev/null
    python3 benches/compare/polars_rules.py "$csv" --threads 1 --json "$dir/polars.json" >/dev/null
    for peer in duckdb polars; do
        python3 benches/compare/compare.py "$dir/$peer.json" "$dir/ours.json" >/dev/null ||
            { echo "register $seed: $peer differs"; python3 benches/compare/compare.py "$dir/$peer.json" "$dir/ours.json"; exit 1; }
    done
done
echo "DuckDB and Polars agree with loggningsindex on all $n random registers"
