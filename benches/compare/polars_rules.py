#!/usr/bin/env python3
"""The ID06 Loggningsindex rules in Polars (lazy API), by the same method as
`duckdb_windows.py`: window expressions over each key's events in time
order, every day's same-day shifts (at most two) in one pass, then a short
loop over only the days whose first rows a night shift takes.

    python3 benches/compare/polars_rules.py EVENTS.csv [--threads N] [--json OUT]

Writes per company [shifts, correct, missing_in, missing_out, missing_both,
individuals, auto_events] for `compare.py`. Set the thread count before
Polars starts: --threads sets POLARS_MAX_THREADS. Identifiers are taken as
written; rows with origin `auto` are counted, never part of a shift.
"""
import os
import sys
import time

from peer import B, W, arguments, report


def main() -> int:
    args = arguments()
    os.environ["POLARS_MAX_THREADS"] = str(args.threads)
    import polars as pl  # after the thread count is set

    col = pl.col
    start = time.perf_counter()
    ts = col("timestamp").str.strip_chars().str.to_datetime(time_unit="us", time_zone="UTC")
    raw = (
        pl.scan_csv(args.events, infer_schema=False)
        .select(
            col("person").str.strip_chars(),
            col("company").str.strip_chars(),
            col("site").str.strip_chars(),
            ts.dt.epoch("us").alias("t"),
            ts.dt.convert_time_zone(args.timezone).dt.date().alias("d"),
            (col("direction").str.strip_chars().str.to_uppercase() == "IN").alias("is_in"),
            (col("origin").fill_null("").str.strip_chars().str.to_lowercase() == "auto").alias("auto"),
        )
        .collect()
    )
    keys = raw.select("person", "company", "site").unique().with_row_index("k")
    e = (
        raw.lazy()
        .filter(~col("auto"))
        .join(keys.lazy(), on=["person", "company", "site"])
        .select("k", "t", "d", "is_in")
        .sort("k", "t", ~col("is_in"))
        .with_columns(rn=pl.int_range(1, pl.len() + 1).over("k"))
        .collect()
    )

    def shifts_of(rows: pl.LazyFrame) -> pl.DataFrame:
        """Per (k, d, s): the same-day shifts of a day's rows (those left
        after the night before took its own)."""
        return (
            rows.with_columns(s=pl.when(col("t") <= col("t").min().over("k", "d") + W).then(1).otherwise(2))
            .with_columns(t0=col("t").min().over("k", "d", "s"), t1=col("t").max().over("k", "d", "s"))
            .group_by("k", "d", "s")
            .agg(
                ends_in=col("is_in").sort_by("rn").last(),
                first_in_t=col("t").filter(col("is_in")).min(),
                open_in=col("rn").filter(col("is_in") & (col("t") <= col("t0") + B)).min(),
                close_out=col("rn").filter(~col("is_in") & (col("t") >= col("t1") - B)).max(),
            )
            .collect()
        )

    def rows_after(days: pl.DataFrame) -> pl.LazyFrame:
        """The rows of `days` (k, d, upto) after their taken prefix."""
        return e.lazy().join(days.lazy(), on=["k", "d"]).filter(col("rn") > col("upto")).drop("upto")

    def taken_next(shifts: pl.DataFrame) -> pl.DataFrame:
        """Per day after an open last shift: the last row the night takes."""
        opened = (
            shifts.lazy()
            .filter(col("s") == col("s").max().over("k", "d"))
            .filter(col("ends_in") & ~(col("open_in") < col("close_out")).fill_null(False))
            .select("k", (col("d") + pl.duration(days=1)).alias("d"), (col("first_in_t") + W).alias("lim"))
        )
        first_out = (
            opened.join(e.lazy(), on=["k", "d"])
            .filter(~col("is_in") & (col("t") <= col("lim")))
            .group_by("k", "d", "lim")
            .agg(t_out=col("t").min())
        )
        return (
            first_out.join(e.lazy(), on=["k", "d"])
            .filter(col("t") <= pl.min_horizontal("lim", col("t_out") + B))
            .group_by("k", "d")
            .agg(upto=col("rn").max())
            .collect()
        )

    # Round 0: every day as if the night before took nothing. `taken` holds
    # the days whose first rows a night takes (the last row taken).
    shifts = shifts_of(e.lazy())
    taken = pl.DataFrame(schema={"k": pl.UInt32, "d": pl.Date, "upto": pl.UInt32})
    todo = taken_next(shifts)
    rounds = 0
    while True:
        changed = (
            todo.join(taken, on=["k", "d"], how="left", suffix="_old")
            .filter(col("upto") != col("upto_old").fill_null(0))
            .select("k", "d", col("upto").cast(pl.UInt32))
        )
        if changed.height == 0:
            break
        rounds += 1
        taken = pl.concat([taken.join(changed, on=["k", "d"], how="anti"), changed.filter(col("upto") > 0)])
        shifts = pl.concat([shifts.join(changed, on=["k", "d"], how="anti"), shifts_of(rows_after(changed))])
        now = taken_next(shifts.join(changed, on=["k", "d"], how="semi"))
        todo = (
            changed.select("k", (col("d") + pl.duration(days=1)).alias("d"))
            .join(now, on=["k", "d"], how="left")
            .select("k", "d", col("upto").fill_null(0).cast(pl.UInt32))
        )

    # The last shift of a day whose night took rows: its closing burst is
    # now at the last row taken (and may reach back over midnight).
    day_before = (col("d") - pl.duration(days=1)).alias("day")
    taken_rows = e.lazy().join(taken.lazy(), on=["k", "d"]).filter(col("rn") <= col("upto"))
    ends = taken_rows.group_by("k", "d").agg(t1=col("t").max()).select("k", day_before, "t1")
    near_end = (
        e.lazy().join(ends.rename({"day": "d"}), on=["k", "d"])
        .filter(col("t") >= col("t1") - B)
        .select("k", col("d").alias("day"), "t1", "rn", "t", "is_in")
    )
    extended = (
        pl.concat([
            taken_rows.select("k", day_before, "rn", "t", "is_in").join(ends, on=["k", "day"]),
            near_end,
        ], how="diagonal")
        .group_by("k", "day")
        .agg(ext_close=col("rn").filter(~col("is_in") & (col("t") >= col("t1") - B)).max())
    )
    last_s = shifts.lazy().group_by("k", "d").agg(s=col("s").max(), last=pl.lit(True))
    close = pl.when(col("last").fill_null(False) & col("ext_close").is_not_null()) \
        .then(col("ext_close")).otherwise(col("close_out"))
    judged = (
        shifts.lazy()
        .join(last_s, on=["k", "d", "s"], how="left")
        .join(extended.rename({"day": "d"}), on=["k", "d"], how="left")
        .with_columns(close=close)
        .with_columns(
            cls=pl.when(col("open_in") < col("close")).then(pl.lit("correct"))
            .when(col("open_in").is_not_null()).then(pl.lit("missing_out"))
            .when(col("close").is_not_null()).then(pl.lit("missing_in"))
            .otherwise(pl.lit("missing_both"))
        )
    )
    counted = (
        judged.join(keys.lazy(), on="k")
        .group_by("company")
        .agg(
            shifts=pl.len(),
            correct=(col("cls") == "correct").sum(),
            missing_in=(col("cls") == "missing_in").sum(),
            missing_out=(col("cls") == "missing_out").sum(),
            missing_both=(col("cls") == "missing_both").sum(),
            individuals=col("person").n_unique(),
        )
    )
    autos = raw.lazy().filter(col("auto")).group_by("company").agg(auto_events=pl.len())
    fields = ["shifts", "correct", "missing_in", "missing_out", "missing_both", "individuals", "auto_events"]
    companies = (
        counted.join(autos, on="company", how="full", coalesce=True)
        .with_columns(pl.col(f).fill_null(0) for f in fields)
        .sort("company")
        .collect()
    )
    elapsed = time.perf_counter() - start
    events = raw.height
    rows = companies.select(["company"] + fields).iter_rows()
    report("polars", events, {r[0]: [int(x) for x in r[1:]] for r in rows}, rounds, elapsed, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
