"""Generality benchmark: crawl N randomised department sites (`portal.generated`) with `platform: generic` and
no options, and print recall, precision, field accuracy, column names and audit statuses against their
manifest (the same table as tests/crawler/test_generality.py, for more sites).

    .venv/bin/python bench/bench_generality.py [--sites 200] [--seed N] [--all-rows]
    .venv/bin/python bench/bench_generality.py --seed N --only 17,143 --keep /tmp/replay   # replay sites

Without --seed a random one is drawn and printed; the same seed always generates the same sites.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine_line  # noqa: E402
from tests.crawler.generality import chosen_seed, run_generality  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--only", type=str, default="", help="comma-separated site numbers (replay some sites)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the crawl's data and site files here")
    parser.add_argument("--all-rows", action="store_true", help="a row per site, not only the imperfect ones")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else chosen_seed()
    print(machine_line())
    started = time.perf_counter()
    sites = [int(n) for n in args.only.split(",")] if args.only else args.sites
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    scored = run_generality(seed, sites, args.keep, timeout=args.timeout)
    elapsed = time.perf_counter() - started
    print(f"crawl exit status {scored.crawl_returncode}, {elapsed:.0f} s for {len(scored.sites)} sites")
    print()
    print(scored.table())
    print()
    print(scored.by_style())
    print()
    print(scored.site_rows(only_failing=not args.all_rows))


if __name__ == "__main__":
    main()
