#!/usr/bin/env python3
"""Checks DuckDB's per-company counts against loggningsindex's JSON result.

    python3 benches/compare/compare.py DUCKDB.json LOGGNINGSINDEX.json
"""
import json
import sys

duck = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
fields = ["shifts", "correct", "missing_in", "missing_out", "missing_both"]
mine = {c["company"]: [c[f] for f in fields] for c in ours["companies"]}
diff = sorted(set(duck) ^ set(mine)) + [k for k in duck if k in mine and duck[k] != mine[k]]
if diff:
    for k in diff[:10]:
        print(f"differs: {k}: duckdb {duck.get(k)} loggningsindex {mine.get(k)}")
    sys.exit(1)
print(f"identical counts for all {len(mine)} companies")
