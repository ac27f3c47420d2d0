"""The catalogue's cost per record on SQLite and on PostgreSQL, measured side by side in one run.

    .venv/bin/python bench/bench_catalog.py [--records 5000] [--pg-url postgresql://…]

Without `--pg-url` (or GONGKAI_TEST_PG_URL) the script starts a throwaway server with `scripts/postgres.sh` on
port 55433 and stops it afterwards. Each engine gets the crawler's write pattern on a fresh catalogue: a new record
(`save_record`: the record row and its first version, one transaction), the state read before a detail page is
fetched (`get_state`), an unchanged record seen again (`touch`), and a changed record (`save_record` of version 2).
Wall ms per operation is what the crawler waits; CPU ms adds the client's process time and, for PostgreSQL, the
server's (its backend process, from /proc) — what a record costs the machines, wherever it is spent.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cpu import tree_cpu_seconds  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from indexer.catalog import Catalog  # noqa: E402
from indexer.schema import DisclosureRecord, RecordStatus, WarcRef, record_id  # noqa: E402

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def make_record(index: int, version: int = 1) -> DisclosureRecord:
    url = f"http://127.0.0.1:1/gkml/2026/{index:06d}.html"
    return DisclosureRecord(
        id=record_id(url),
        site="bench",
        url=url,
        title=f"关于印发第{index}号测试方案的通知",
        doc_number=f"济政办发〔2026〕{index % 9999 + 1}号",
        fetched_at=T0 + timedelta(days=version),
        first_seen_at=T0,
        last_seen_at=T0 + timedelta(days=version),
        content_sha256=f"{index:064x}"[-64:],
        version=version,
        status=RecordStatus.active if version == 1 else RecordStatus.changed,
        warc=WarcRef(file="gongkai-bench.warc.gz", offset=index * 4096),
    )


def server_pids(location: str) -> list[int]:
    """The PostgreSQL backend serving this process's connection(s), found as the server's process tree."""
    if not location.startswith("postgres"):
        return []
    import psycopg

    with psycopg.connect(location) as db:
        row = db.execute("SHOW data_directory").fetchone()
    pid_file = Path(row[0]) / "postmaster.pid" if row else None
    try:
        return [int(pid_file.read_text().split()[0])] if pid_file else []
    except OSError:
        return []  # a remote server: its CPU is not visible here


def measure(location: str, records: int) -> dict[str, tuple[float, float]]:
    """operation -> (wall ms, CPU ms) per record."""
    pids = server_pids(location)
    results: dict[str, tuple[float, float]] = {}
    with Catalog(location) as catalog:
        later = T0 + timedelta(days=3)
        ids = [record_id(make_record(i).url) for i in range(records)]
        operations: list[tuple[str, Callable[[int], object]]] = [
            ("save_record (new)", lambda i: catalog.save_record(make_record(i))),
            ("get_state", lambda i: catalog.get_state(ids[i])),
            ("touch (unchanged)", lambda i: catalog.touch(ids[i], later, list_signal="s")),
            ("save_record (changed)", lambda i: catalog.save_record(make_record(i, version=2))),
        ]
        for name, operation in operations:
            server_before = sum(tree_cpu_seconds(pid) for pid in pids)
            cpu_before = time.process_time()
            started = time.perf_counter()
            for index in range(records):
                operation(index)
            wall = time.perf_counter() - started
            cpu = (
                time.process_time() - cpu_before + sum(tree_cpu_seconds(pid) for pid in pids) - server_before
            )
            results[name] = (wall * 1000 / records, cpu * 1000 / records)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--pg-url", default=os.environ.get("GONGKAI_TEST_PG_URL"))
    args = parser.parse_args()
    print(machine_line())

    started_server = False
    pg_env = {**os.environ, "GONGKAI_PG_PORT": "55433"}
    if not args.pg_url:
        subprocess.run([str(ROOT / "scripts/postgres.sh"), "start"], env=pg_env, check=True)
        args.pg_url = subprocess.run(
            [str(ROOT / "scripts/postgres.sh"), "url"], env=pg_env, check=True, capture_output=True, text=True
        ).stdout.strip()
        started_server = True
    try:
        import psycopg

        name = f"gk_bench_{os.getpid()}"
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        pg_location = args.pg_url.rsplit("/", 1)[0] + f"/{name}"
        with tempfile.TemporaryDirectory() as tmp:
            sqlite = measure(str(Path(tmp) / "catalog.sqlite3"), args.records)
        postgres = measure(pg_location, args.records)
        with psycopg.connect(args.pg_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        if started_server:
            subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop"], env=pg_env, check=False)

    print(f"\n### Catalogue cost per record: SQLite vs PostgreSQL ({args.records:,} records, one client)\n")
    print("PostgreSQL on 127.0.0.1, same machine; its CPU includes the server's backend process.\n")
    print(
        "| operation | SQLite wall ms | SQLite CPU ms | PostgreSQL wall ms | PostgreSQL CPU ms | CPU ratio PG / SQLite |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for operation, (wall, cpu) in sqlite.items():
        pg_wall, pg_cpu = postgres[operation]
        print(f"| {operation} | {wall:.3f} | {cpu:.3f} | {pg_wall:.3f} | {pg_cpu:.3f} | {pg_cpu / cpu:.2f} |")
    per_record = {
        engine: sum(cpu for _wall, cpu in results.values())
        for engine, results in (("s", sqlite), ("p", postgres))
    }
    print(
        f"\nA record's first crawl and one recrawl (all four operations): SQLite {per_record['s']:.2f} CPU ms, "
        f"PostgreSQL {per_record['p']:.2f} CPU ms."
    )


if __name__ == "__main__":
    main()
