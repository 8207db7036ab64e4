#!/usr/bin/env python3
"""Checks a peer's per-company counts against loggningsindex's JSON result.

    python3 benches/compare/compare.py PEER.json LOGGNINGSINDEX.json

PEER.json maps each company to [shifts, correct, missing_in, missing_out,
missing_both] and, if the peer computes them, [..., individuals,
auto_events]; every field the peer gives is compared.
"""
import json
import sys

peer = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
fields = ["shifts", "correct", "missing_in", "missing_out", "missing_both", "individuals", "auto_events"]
width = max((len(v) for v in peer.values()), default=5)
mine = {c["company"]: [c[f] for f in fields[:width]] for c in ours["companies"]}
diff = sorted(set(peer) ^ set(mine)) + [k for k in peer if k in mine and peer[k] != mine[k]]
if diff:
    for k in diff[:10]:
        print(f"differs: {k}: peer {peer.get(k)} loggningsindex {mine.get(k)}")
    print(f"{len(diff)} of {len(mine)} companies differ ({', '.join(fields[:width])})")
    sys.exit(1)
print(f"identical {', '.join(fields[:width])} for all {len(mine)} companies")
