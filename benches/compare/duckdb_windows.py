#!/usr/bin/env python3
"""The ID06 Loggningsindex rules in DuckDB, written as well as DuckDB allows:
window functions over each key's events in time order, and a short loop over
only the days a night shift changes — never a fixed-point loop over the
whole table.

    python3 benches/compare/duckdb_windows.py EVENTS.csv [--threads N] [--json OUT]

Why this is exact. Within one key and one local day, the same-day rule forms
at most two shifts: the first anchor takes every event within 13 h, and a
second anchor is more than 13 h later, so 13 h after it lies beyond the end
of any day (at most 25 h). Only the day's last shift can take the next day's
first events (the night rule), and what it takes depends on which of the
day's events were left after the previous night took its own. So: form every
day's shifts as if nothing were taken (one pass), compute what each open
last shift takes from the next day, and re-form only the days whose taken
prefix changed, until none changes (a round per step of a chain of nights
that change each other; usually one or two, over a small share of the days).

Prints the totals and the elapsed seconds; with --json, writes per company
[shifts, correct, missing_in, missing_out, missing_both, individuals,
auto_events] for `compare.py`. Identifiers are taken as written (run it on
files whose people have one spelling each, as `loggningsindex generate`
writes them); rows with origin `auto` are counted, never part of a shift.
"""
import sys
import time

import duckdb

from peer import B, W, arguments, report


def shifts_of(rows: str) -> str:
    """Per (k, d, s): the same-day shifts of the rows in `rows` (a day's
    rows left after the night before took its own), with what judging them
    and extending them needs. All windows share one partitioning (k, d)."""
    return f"""
        WITH cut AS (
            SELECT k, d, rn, t, is_in, min(t) OVER (PARTITION BY k, d) + {W} AS cut FROM ({rows})
        ), anchored AS (
            SELECT *, min(t) FILTER (WHERE t > cut) OVER w AS a2,
                      max(t) FILTER (WHERE t <= cut) OVER w AS end1,
                      max(t) OVER w AS end2
            FROM cut WINDOW w AS (PARTITION BY k, d)
        ), bounded AS (
            SELECT *, CASE WHEN t <= cut THEN 1 ELSE 2 END AS s,
                   CASE WHEN t <= cut THEN cut - {W} ELSE a2 END AS t0,
                   CASE WHEN t <= cut THEN end1 ELSE end2 END AS t1
            FROM anchored
        )
        SELECT k, d, s, arg_max(is_in, rn) AS ends_in,
               min(t) FILTER (WHERE is_in) AS first_in_t,
               min(rn) FILTER (WHERE is_in AND t <= t0 + {B}) AS open_in,
               max(rn) FILTER (WHERE NOT is_in AND t >= t1 - {B}) AS close_out
        FROM bounded GROUP BY k, d, s
    """


def rows_after(days: str) -> str:
    """The rows of the days in `days` (k, d, upto) after their taken prefix."""
    return f"SELECT e.* FROM e JOIN {days} x ON e.k = x.k AND e.d = x.d WHERE e.rn > x.upto"


def taken_next(shifts: str) -> str:
    """Per day after an open last shift in `shifts`: the last row the night
    shift takes from it (NULL: none)."""
    return f"""
        WITH last AS (
            SELECT * FROM {shifts}
            QUALIFY s = max(s) OVER (PARTITION BY k, d)
        ), open AS (
            SELECT k, d + 1 AS d, first_in_t + {W} AS lim FROM last
            WHERE ends_in AND NOT coalesce(open_in < close_out, false)
        ), first_out AS (
            SELECT o.k, o.d, o.lim, min(e.t) AS t_out
            FROM open o JOIN e ON e.k = o.k AND e.d = o.d
            WHERE NOT e.is_in AND e.t <= o.lim
            GROUP BY o.k, o.d, o.lim
        )
        SELECT f.k, f.d, max(e.rn) AS upto
        FROM first_out f JOIN e ON e.k = f.k AND e.d = f.d
        WHERE e.t <= least(f.lim, f.t_out + {B})
        GROUP BY f.k, f.d
    """


def main() -> int:
    args = arguments()

    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"SET TimeZone = '{args.timezone}'")
    start = time.perf_counter()

    source = f"read_csv('{args.events}', header = true, all_varchar = true)"
    auto = "lower(trim(coalesce(origin, ''))) = 'auto'"
    key = "hash(trim(person), trim(company), trim(site))"
    # Rows of a key in its order (time, IN before OUT), numbered; keys as
    # 64-bit hashes, checked below to be distinct, so nothing is merged.
    con.execute(f"""
        CREATE TABLE e AS
        WITH parsed AS (
            SELECT {key} AS k, CAST(trim(timestamp) AS TIMESTAMPTZ) AS ts,
                   upper(trim(direction)) = 'IN' AS is_in
            FROM {source} WHERE NOT ({auto})
        )
        SELECT k, epoch_us(ts) AS t, CAST(timezone('{args.timezone}', ts) AS DATE) AS d, is_in,
               row_number() OVER (PARTITION BY k ORDER BY epoch_us(ts), NOT is_in) AS rn
        FROM parsed
    """)
    # A second read for what only the result needs: who and which company a
    # key is, and the `auto` rows.
    con.execute(f"""
        CREATE TABLE keys AS
        SELECT {key} AS k, trim(person) AS person, trim(company) AS company, trim(site) AS site,
               count(*) FILTER (WHERE {auto}) AS autos, count(*) FILTER (WHERE NOT ({auto})) AS rows
        FROM {source} GROUP BY ALL
    """)
    distinct = "SELECT count(*) = count(DISTINCT k) FROM keys"
    if con.execute(distinct).fetchone()[0] is not True:
        sys.exit("two keys share a hash: this formulation cannot run on this file")

    # Round 0: every day as if the night before took nothing. `taken` holds
    # the days whose first rows a night takes (the last row taken).
    con.execute(f"CREATE TABLE shifts AS {shifts_of('SELECT * FROM e')}")
    con.execute("CREATE TABLE taken (k UBIGINT, d DATE, upto BIGINT)")
    con.execute(f"CREATE TABLE todo AS {taken_next('shifts')}")
    rounds = 0
    while True:
        # The days whose taken prefix changes: re-form them, and see what
        # their own last shift now takes from the day after.
        con.execute("""
            CREATE OR REPLACE TABLE changed AS
            SELECT n.k, n.d, n.upto FROM todo n LEFT JOIN taken o USING (k, d)
            WHERE n.upto IS DISTINCT FROM coalesce(o.upto, 0)
        """)
        if con.execute("SELECT count(*) FROM changed").fetchone()[0] == 0:
            break
        rounds += 1
        con.execute("DELETE FROM taken USING changed c WHERE taken.k = c.k AND taken.d = c.d")
        con.execute("INSERT INTO taken SELECT * FROM changed WHERE upto > 0")
        con.execute("DELETE FROM shifts USING changed c WHERE shifts.k = c.k AND shifts.d = c.d")
        con.execute(f"INSERT INTO shifts {shifts_of(rows_after('changed'))}")
        # A re-formed day may now take more, less or nothing from the next.
        con.execute(f"""
            CREATE OR REPLACE TABLE todo AS
            WITH now AS ({taken_next("(SELECT s.* FROM shifts s SEMI JOIN changed c USING (k, d))")})
            SELECT c.k, c.d + 1 AS d, coalesce(n.upto, 0) AS upto
            FROM changed c LEFT JOIN now n ON n.k = c.k AND n.d = c.d + 1
        """)

    # The last shift of a day whose night took rows: its closing burst is
    # now at the last row taken (and may reach back over midnight).
    con.execute(f"""
        CREATE TABLE extended AS
        WITH ends AS (
            SELECT x.k, x.d - 1 AS day, max(e.t) AS t1
            FROM taken x JOIN e ON e.k = x.k AND e.d = x.d AND e.rn <= x.upto
            GROUP BY x.k, x.d
        )
        SELECT n.k, n.day, max(e.rn) FILTER (WHERE NOT e.is_in AND e.t >= n.t1 - {B}) AS close_out
        FROM ends n JOIN taken x ON x.k = n.k AND x.d = n.day + 1
        JOIN e ON e.k = n.k AND ((e.d = n.day + 1 AND e.rn <= x.upto) OR (e.d = n.day AND e.t >= n.t1 - {B}))
        GROUP BY n.k, n.day
    """)
    con.execute("""
        CREATE TABLE judged AS
        SELECT s.k, s.d AS day,
               CASE WHEN s.open_in < coalesce(x.close_out, s.close_out) THEN 'correct'
                    WHEN s.open_in IS NOT NULL THEN 'missing_out'
                    WHEN coalesce(x.close_out, s.close_out) IS NOT NULL THEN 'missing_in'
                    ELSE 'missing_both' END AS class
        FROM shifts s
        LEFT JOIN (SELECT k, d, max(s) AS s FROM shifts GROUP BY k, d) l ON l.k = s.k AND l.d = s.d AND l.s = s.s
        LEFT JOIN extended x ON x.k = s.k AND x.day = s.d AND l.s IS NOT NULL
    """)
    companies = con.execute("""
        WITH counted AS (
            SELECT k, count(*) AS shifts,
                   count(*) FILTER (WHERE class = 'correct') AS correct,
                   count(*) FILTER (WHERE class = 'missing_in') AS missing_in,
                   count(*) FILTER (WHERE class = 'missing_out') AS missing_out,
                   count(*) FILTER (WHERE class = 'missing_both') AS missing_both
            FROM judged GROUP BY k
        )
        SELECT company, coalesce(sum(shifts), 0), coalesce(sum(correct), 0),
               coalesce(sum(missing_in), 0), coalesce(sum(missing_out), 0),
               coalesce(sum(missing_both), 0), count(DISTINCT person) FILTER (WHERE shifts > 0),
               sum(autos)
        FROM keys LEFT JOIN counted USING (k) GROUP BY company ORDER BY company
    """).fetchall()
    elapsed = time.perf_counter() - start
    events = con.execute("SELECT sum(autos + rows) FROM keys").fetchone()[0]
    report("duckdb (windows)", events, {c[0]: list(c[1:]) for c in companies}, rounds, elapsed, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
