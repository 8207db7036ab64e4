#!/usr/bin/env python3
"""The ID06 Loggningsindex rules (RULES.md) in DuckDB SQL, for comparison.

Set-based SQL for the same-day windows, plus a short fixed-point loop for the
night-shift rule: a night shift consumes a prefix of the next day's events,
which may change that day's shifts, so the loop runs until no prefix changes.

    python3 benches/compare/duckdb_rules.py EVENTS.csv [--threads N] [--json OUT]

Prints the total tally and the elapsed seconds; with --json, writes company
totals so that `compare.py` can check them against loggningsindex's result.
Timestamps must carry an offset (as `loggningsindex generate` writes them).
"""
import argparse
import json
import sys
import time

import duckdb

WINDOW_US = 13 * 3600 * 1_000_000
BURST_US = 30 * 1_000_000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("events")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--timezone", default="Europe/Stockholm")
    args = ap.parse_args()

    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET TimeZone = '{args.timezone}'")
    start = time.perf_counter()

    # Events: key, instant (µs), local day, direction, order within the key.
    con.execute(f"""
        CREATE TABLE e AS
        WITH raw AS (
            SELECT person, company, site,
                   CAST(timestamp AS TIMESTAMPTZ) AS ts,
                   upper(trim(direction)) IN ('IN') AS is_in
            FROM read_csv('{args.events}', header = true, all_varchar = true)
        )
        SELECT dense_rank() OVER (ORDER BY person, company, site) AS k,
               company, site,
               epoch_us(ts) AS t,
               CAST(timezone('{args.timezone}', ts) AS DATE) AS d,
               is_in,
               row_number() OVER (PARTITION BY person, company, site
                                  ORDER BY epoch_us(ts), NOT is_in) AS rn
        FROM raw
    """)
    con.execute("CREATE TABLE keys AS SELECT DISTINCT k, company, site FROM e")
    # consumed(k, d): events at the start of day d taken by day d-1's night shift.
    con.execute("CREATE TABLE consumed (k BIGINT, d DATE, upto BIGINT)")

    rounds = 0
    while True:
        rounds += 1
        # Same-day shifts of the events not consumed: anchors chain forward,
        # each anchor the first event more than 13 h after the previous one.
        con.execute(f"""
            CREATE OR REPLACE TABLE free AS
            SELECT e.* FROM e LEFT JOIN consumed c ON e.k = c.k AND e.d = c.d
            WHERE c.upto IS NULL OR e.rn > c.upto
        """)
        con.execute("CREATE OR REPLACE TABLE anchor AS "
                    "SELECT k, d, min(rn) AS rn FROM free GROUP BY k, d")
        con.execute("CREATE OR REPLACE TABLE member (k BIGINT, rn BIGINT, a BIGINT)")
        con.execute("CREATE OR REPLACE TABLE todo AS SELECT * FROM free")
        while True:
            n = con.execute(f"""
                INSERT INTO member
                SELECT f.k, f.rn, a.rn FROM todo f
                JOIN anchor a ON f.k = a.k AND f.d = a.d
                JOIN e ae ON ae.k = a.k AND ae.rn = a.rn
                WHERE f.t <= ae.t + {WINDOW_US}
            """).fetchone()[0]
            con.execute("CREATE OR REPLACE TABLE todo AS SELECT f.* FROM todo f "
                        "ANTI JOIN member m ON f.k = m.k AND f.rn = m.rn")
            if con.execute("SELECT count(*) FROM todo").fetchone()[0] == 0:
                break
            con.execute("CREATE OR REPLACE TABLE anchor AS "
                        "SELECT k, d, min(rn) AS rn FROM todo GROUP BY k, d")

        # The last same-day shift of each (key, day): open if not correct and
        # ending in IN. Then the next day's run up to its first OUT.
        con.execute(f"""
            CREATE OR REPLACE TABLE new_consumed AS
            WITH s AS (
                SELECT m.k, m.a, min(e.rn) AS first_rn, max(e.rn) AS last_rn,
                       min(e.t) AS t0, max(e.t) AS t1, any_value(e.d) AS d,
                       min(e.rn) FILTER (WHERE e.is_in) AS first_in_rn,
                       min(e.t) FILTER (WHERE e.is_in) AS first_in_t
                FROM member m JOIN e ON e.k = m.k AND e.rn = m.rn
                GROUP BY m.k, m.a
            ), judged AS (
                SELECT s.*,
                    (SELECT min(x.rn) FROM e x WHERE x.k = s.k AND x.rn BETWEEN s.first_rn AND s.last_rn
                        AND x.is_in AND x.t <= s.t0 + {BURST_US}) AS open_in,
                    (SELECT max(x.rn) FROM e x WHERE x.k = s.k AND x.rn BETWEEN s.first_rn AND s.last_rn
                        AND NOT x.is_in AND x.t >= s.t1 - {BURST_US}) AS close_out,
                    (SELECT x.is_in FROM e x WHERE x.k = s.k AND x.rn = s.last_rn) AS ends_in
                FROM s
            ), open_last AS (
                SELECT j.* FROM judged j
                WHERE j.ends_in AND NOT coalesce(j.open_in < j.close_out, false)
                  AND NOT EXISTS (SELECT 1 FROM e x WHERE x.k = j.k AND x.rn = j.last_rn + 1 AND x.d = j.d)
            ), run_out AS (
                SELECT o.k, o.last_rn, o.d, o.first_in_t + {WINDOW_US} AS lim,
                       min(x.rn) AS out_rn
                FROM open_last o JOIN e x ON x.k = o.k AND x.rn > o.last_rn
                WHERE x.d = o.d + 1 AND x.t <= o.first_in_t + {WINDOW_US} AND NOT x.is_in
                GROUP BY o.k, o.last_rn, o.d, o.first_in_t
            )
            SELECT r.k, r.d + 1 AS d,
                   (SELECT max(x.rn) FROM e x, e o WHERE o.k = r.k AND o.rn = r.out_rn
                      AND x.k = r.k AND x.rn >= r.out_rn AND x.d = r.d + 1
                      AND x.t <= r.lim AND x.t <= o.t + {BURST_US}) AS upto
            FROM run_out r
        """)
        changed = con.execute("""
            SELECT count(*) FROM (
                (SELECT * FROM new_consumed EXCEPT SELECT * FROM consumed)
                UNION ALL
                (SELECT * FROM consumed EXCEPT SELECT * FROM new_consumed))
        """).fetchone()[0]
        con.execute("CREATE OR REPLACE TABLE consumed AS SELECT * FROM new_consumed")
        if changed == 0:
            break

    # Final shifts: same-day members plus the consumed prefixes of the next day.
    con.execute("""
        CREATE OR REPLACE TABLE final AS
        SELECT k, rn, a FROM member
        UNION ALL
        SELECT c.k, e.rn, (SELECT max(m.a) FROM member m WHERE m.k = c.k AND m.rn < e.rn)
        FROM consumed c JOIN e ON e.k = c.k AND e.d = c.d AND e.rn <= c.upto
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE shifts AS
        WITH s AS (
            SELECT f.k, f.a, min(e.t) AS t0, max(e.t) AS t1, min(e.d) AS d
            FROM final f JOIN e ON e.k = f.k AND e.rn = f.rn GROUP BY f.k, f.a
        ), j AS (
            SELECT s.k, s.d,
                min(e.rn) FILTER (WHERE e.is_in AND e.t <= s.t0 + {BURST_US}) AS open_in,
                max(e.rn) FILTER (WHERE NOT e.is_in AND e.t >= s.t1 - {BURST_US}) AS close_out
            FROM s JOIN final f ON f.k = s.k AND f.a = s.a JOIN e ON e.k = f.k AND e.rn = f.rn
            GROUP BY s.k, s.a, s.d
        )
        SELECT k, d,
            CASE WHEN open_in < close_out THEN 'correct'
                 WHEN open_in IS NOT NULL THEN 'missing_out'
                 WHEN close_out IS NOT NULL THEN 'missing_in'
                 ELSE 'missing_both' END AS class
        FROM j
    """)
    companies = con.execute("""
        SELECT company, count(*) AS shifts,
               count(*) FILTER (WHERE class = 'correct'),
               count(*) FILTER (WHERE class = 'missing_in'),
               count(*) FILTER (WHERE class = 'missing_out'),
               count(*) FILTER (WHERE class = 'missing_both')
        FROM shifts JOIN keys USING (k) GROUP BY company ORDER BY company
    """).fetchall()
    elapsed = time.perf_counter() - start
    events = con.execute("SELECT count(*) FROM e").fetchone()[0]
    totals = [sum(c[i] for c in companies) for i in range(1, 6)]
    print(f"duckdb: {events} events, {totals[0]} shifts (correct {totals[1]}, missing_in {totals[2]}, "
          f"missing_out {totals[3]}, missing_both {totals[4]}), {rounds} night-shift rounds, "
          f"{elapsed:.2f} s, {events / elapsed / 1e6:.2f} M events/s")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({c[0]: list(c[1:]) for c in companies}, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
