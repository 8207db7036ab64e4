"""What the peers (`duckdb_windows.py`, `polars_rules.py`) share: the rules'
constants, their command line, and how they report — a line of totals, and
with --json per company [shifts, correct, missing_in, missing_out,
missing_both, individuals, auto_events] for `compare.py`."""
import argparse
import json

W = 13 * 3600 * 1_000_000  # the window, µs
B = 30 * 1_000_000  # the burst, µs


def arguments() -> argparse.Namespace:
    """EVENTS.csv [--threads N] [--json OUT] [--timezone TZ]."""
    ap = argparse.ArgumentParser()
    ap.add_argument("events")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--timezone", default="Europe/Stockholm")
    return ap.parse_args()


def report(name: str, events: int, companies: dict, rounds: int, elapsed: float, path) -> None:
    """Prints the totals of `companies` (company -> the seven counts) and,
    given a path, writes them as JSON."""
    totals = [sum(c[i] for c in companies.values()) for i in range(5)]
    print(f"{name}: {events} events, {totals[0]} shifts (correct {totals[1]}, "
          f"missing_in {totals[2]}, missing_out {totals[3]}, missing_both {totals[4]}), "
          f"{rounds} rounds over changed days, {elapsed:.2f} s, {events / elapsed / 1e6:.2f} M events/s")
    if path:
        with open(path, "w") as out:
            json.dump(companies, out)
