#!/usr/bin/env python3
"""Writes a small random register that tries the rules' edges: a few keys
(people with two companies and two sites), gaps around 30 s and 13 h,
chains of nights, forgotten check-ins and check-outs, `auto` rows.

    python3 benches/compare/random_register.py SEED OUT.csv
"""
import datetime
import random
import sys

seed, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(seed)
rows = ["person,company,site,timestamp,direction,origin"]
base = datetime.datetime(2026, 3, 2)
gaps = [0, 10, 25, 30, 31, 60, 600, 3600, 4 * 3600, 8 * 3600, 12 * 3600,
        13 * 3600, 13 * 3600 + 1, 14 * 3600, 20 * 3600]
for k in range(r.randint(1, 6)):
    t = base + datetime.timedelta(minutes=r.randint(0, 600))
    for _ in range(r.randint(1, 40)):
        t += datetime.timedelta(seconds=r.choice(gaps))
        direction = r.choice(["IN", "OUT"])
        origin = "auto" if r.random() < 0.1 else "card"
        # Written with +01:00 throughout: the instant is what counts; the
        # local day is taken in Swedish time (summer time from 29 March).
        rows.append(f"p{k % 3},c{k % 2},s{k % 2},{t:%Y-%m-%dT%H:%M:%S}+01:00,{direction},{origin}")
with open(out, "w") as f:
    f.write("\n".join(rows) + "\n")
