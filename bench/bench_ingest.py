"""Benchmark: ingest N collected items into SQLite and PostgreSQL.

For each engine, in the same run:

* ``baseline`` — a plain SQLAlchemy ``executemany`` INSERT of the same records (minimal
  conversion, into a copy of the items table without unique constraints, foreign keys or
  indexes), committed in batches of the same size: the floor the database allows;
* ``ingest`` — ``netral.ingest.ingest_records`` with scanning off: validation, normalisation,
  content hash, account matching, ``INSERT … ON CONFLICT DO NOTHING`` with per-batch id lookup
  (what idempotency and kill-safety cost);
* ``re-ingest`` — the same source again (every record already stored: the no-op path);
* ``ingest+scan`` — on the first ``--scan-size`` records with the real detector (the
  detector, not the database, is then the bottleneck).

    .venv/bin/python bench/bench_ingest.py --size 1000000
    .venv/bin/python bench/bench_ingest.py --size 20000 --engines sqlite   # quick

Results go to stdout and to ``bench/out/ingest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy import Column, MetaData, Table, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from netral.ingest import ingest_records
from netral.store.base import make_engine, make_sessionmaker
from netral.store.migrate import upgrade
from netral.store.models import Item
from netral.store.roster import import_roster

N_ACCOUNTS = 1000
TEXTS = [
    "Rapat koordinasi bidang {n} berjalan lancar hari ini",
    "Selamat pagi rekan-rekan, semangat bekerja ({n})",
    "Ayo coblos nomor {k}! #PrabowoGibran {n}",
    "Info pelayanan posyandu minggu ke-{n}",
    "Jangan lupa datang ke TPS, gunakan hak pilih ({n})",
]
START = datetime(2024, 1, 1, tzinfo=UTC)


def records(n: int) -> Iterator[tuple[str, dict]]:
    for i in range(n):
        yield (
            f"r{i}",
            {
                "platform": "twitter",
                "handle": f"pegawai{i % N_ACCOUNTS:04d}",
                "id": f"b{i:09d}",
                "kind": "post",
                "text": TEXTS[i % len(TEXTS)].format(n=i, k=i % 3 + 1),
                "created_at": (START + timedelta(seconds=i * 7)).isoformat(),
                "collected_at": "2024-02-20T00:00:00+00:00",
                "url": f"https://x.example/p/{i}",
            },
        )


def roster_csv(path: Path) -> Path:
    lines = ["NIP,nama,jabatan,kelas,unit,platform,akun"]
    for i in range(N_ACCOUNTS):
        y, m, d = 1960 + i % 38, 1 + i % 12, 1 + i % 28
        nip = f"{y:04d}{m:02d}{d:02d}{y + 25:04d}{m:02d}{1 + i % 2}{i % 999 + 1:03d}"
        lines.append(f"{nip},Pegawai {i},Staf,PNS,Unit {i % 20},twitter,pegawai{i:04d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def baseline(engine, n: int, batch: int) -> float:
    """Plain executemany into a bare copy of the items table."""
    md = MetaData()
    cols = [Column(c.name, c.type, primary_key=c.primary_key) for c in Item.__table__.columns]
    bare = Table("items_baseline", md, *cols)
    md.drop_all(engine)
    md.create_all(engine)
    t0 = time.perf_counter()
    rows: list[dict] = []
    for _, r in records(n):
        rows.append(
            {
                "platform": r["platform"],
                "external_id": r["id"],
                "kind": r["kind"],
                "handle": r["handle"],
                "text": r["text"],
                "created_at": datetime.fromisoformat(r["created_at"]),
                "collected_at": datetime.fromisoformat(r["collected_at"]),
                "url": r["url"],
                "media": [],
                "raw": r,
                "content_hash": "",
                "collector": "",
                "source": "bench",
            }
        )
        if len(rows) >= batch:
            with engine.begin() as conn:
                conn.execute(insert(bare), rows)
            rows = []
    if rows:
        with engine.begin() as conn:
            conn.execute(insert(bare), rows)
    elapsed = time.perf_counter() - t0
    with engine.begin() as conn:
        assert conn.scalar(select(func.count()).select_from(bare)) == n
    md.drop_all(engine)
    return elapsed


def _backend_cpu(engine) -> dict[int, float] | None:
    """CPU seconds so far of each server process serving this database (PostgreSQL on this
    machine, read from /proc), but the one answering; None where that cannot be read. On a
    shared machine wall time follows the load; the CPU the server spent does not."""
    if engine.dialect.name != "postgresql" or not Path("/proc/self/stat").exists():
        return None
    from sqlalchemy.pool import NullPool

    tick = os.sysconf("SC_CLK_TCK")
    # asked on a connection of its own: the pool's connections are the ones to measure
    asking = create_engine(engine.url, poolclass=NullPool)
    try:
        with asking.connect() as conn:
            pids = conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = "
                                     "current_database() AND pid <> pg_backend_pid()")).all()
    finally:
        asking.dispose()
    out: dict[int, float] = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:  # another machine's server, or the process just ended
            return None
        name, _, rest = stat.partition("(")[2].rpartition(")")
        if not name.startswith("postgres"):  # a server elsewhere: this pid is not its backend
            return None
        fields = rest.split()
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _cpu_since(engine, before: dict[int, float] | None) -> float | None:
    after = _backend_cpu(engine)
    if before is None or after is None:
        return None
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_engine(name: str, url: str, args, tmp: Path) -> dict:
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        rep = import_roster(s, roster_csv(tmp / "roster.csv"), agency_code="bench", create_units=True)
        assert rep.applied, rep.to_dict("en")["problems"][:3]
    out: dict = {"engine": name, "size": args.size, "batch": args.batch}
    server0, c0 = _backend_cpu(engine), time.process_time()
    t = baseline(engine, args.size, args.batch)
    cpu, server = time.process_time() - c0, _cpu_since(engine, server0)
    out["baseline_s"] = round(t, 2)
    out["baseline_items_per_s"] = round(args.size / t)
    out["baseline_cpu_s"] = round(cpu, 2)
    out["baseline_server_cpu_s"] = None if server is None else round(server, 2)
    print(f"[{name}] baseline executemany: {args.size / t:,.0f} items/s ({t:.1f} s); CPU "
          f"{cpu:.2f} s here" + ("" if server is None else f" + {server:.2f} s in the server"),
          flush=True)

    server0, c0 = _backend_cpu(engine), time.process_time()
    t0 = time.perf_counter()
    rep = ingest_records(engine, records(args.size), source="bench", scan=False, batch_size=args.batch)
    t = time.perf_counter() - t0
    cpu, server = time.process_time() - c0, _cpu_since(engine, server0)
    assert rep.items_new == args.size, rep.counts()
    out["ingest_s"] = round(t, 2)
    out["ingest_items_per_s"] = round(args.size / t)
    out["ingest_vs_baseline"] = round(out["baseline_s"] / t, 3)
    out["ingest_cpu_s"] = round(cpu, 2)
    out["ingest_server_cpu_s"] = None if server is None else round(server, 2)
    if server is not None and out["baseline_server_cpu_s"] is not None:
        # idle machine, from CPU time: this process's CPU plus the server's, as if none of
        # it overlapped (the baseline's executemany waits on each statement; the ingest
        # overlaps reading with storing, so for it this is an upper bound of the time)
        out["ingest_vs_baseline_idle"] = round(
            (out["baseline_cpu_s"] + out["baseline_server_cpu_s"]) / (cpu + server), 3)
    print(
        f"[{name}] netral ingest (no scan): {args.size / t:,.0f} items/s ({t:.1f} s), "
        f"{out['ingest_vs_baseline']:.2f}x baseline speed; CPU {cpu:.2f} s here"
        + ("" if server is None else f" + {server:.2f} s in the server: "
           f"{out.get('ingest_vs_baseline_idle', 0):.2f}x on an idle machine"),
        flush=True,
    )

    t0 = time.perf_counter()
    rep = ingest_records(engine, records(args.size), source="bench", scan=False, batch_size=args.batch)
    t = time.perf_counter() - t0
    assert rep.items_new == 0 and rep.items_existing == args.size
    out["reingest_s"] = round(t, 2)
    out["reingest_items_per_s"] = round(args.size / t)
    print(f"[{name}] re-ingest (all present): {args.size / t:,.0f} items/s ({t:.1f} s)", flush=True)

    if args.scan_size:
        from netral.detect.detector import get_detector
        from netral.detect.judge import default_workers
        from netral.ingest import rescan

        detector = get_detector()
        detector.check("Ayo coblos 02 pemanasan")  # builds the model outside timing
        # the floor: the detector alone on the same texts, in this process (no database)
        from netral.detect.request import Request

        reqs = [Request(r["text"], r["kind"], datetime.fromisoformat(r["created_at"]))
                for _, r in records(min(args.scan_size, 4000))]
        t0 = time.perf_counter()
        detector.judge_many(reqs)
        t = time.perf_counter() - t0
        out["detector_items_per_s"] = round(len(reqs) / t)
        print(f"[{name}] the detector alone on these texts, 1 process: "
              f"{len(reqs) / t:,.0f} items/s", flush=True)
        half = args.scan_size // 2
        # the same run, two halves of the stored items: one judging process (the baseline),
        # then every core (netral.detect.judge's worker pool, its start-up included)
        from netral.detect.judge import shutdown

        for label, workers in (("1 process", 1), (f"{default_workers()} processes", 0)):
            kids0 = _children_cpu()
            t0, c0 = time.perf_counter(), time.process_time()
            rep = rescan(engine, detector=detector, batch_size=args.batch, sample_rate=0.0,
                         limit=half, workers=workers)
            t, cpu = time.perf_counter() - t0, time.process_time() - c0
            shutdown()  # the workers' CPU time is counted once they have ended
            kids = _children_cpu() - kids0
            # on a shared machine wall time follows the load: the CPU seconds of this process
            # and of the judging workers give the time on an idle machine with 2 cores
            idle = max(cpu, kids, (cpu + kids) / 2)
            key = "scan" if workers == 1 else "scan_parallel"
            out[f"{key}_items"] = rep.scanned
            out[f"{key}_s"] = round(t, 2)
            out[f"{key}_items_per_s"] = round(rep.scanned / t) if t else None
            out[f"{key}_cpu_s"], out[f"{key}_workers_cpu_s"] = round(cpu, 2), round(kids, 2)
            out[f"{key}_idle_items_per_s"] = round(rep.scanned / idle) if idle else None
            print(
                f"[{name}] rescan of {rep.scanned:,} stored items, {label}: "
                f"{rep.scanned / t:,.0f} items/s ({rep.flagged:,} flagged); CPU {cpu:.1f} s "
                f"here + {kids:.1f} s in workers: {rep.scanned / idle:,.0f} items/s on an "
                f"idle 2-core machine",
                flush=True,
            )
        if out.get("scan_items_per_s") and out.get("scan_parallel_items_per_s"):
            out["scan_parallel_speedup"] = round(
                out["scan_parallel_items_per_s"] / out["scan_items_per_s"], 2)
            print(f"[{name}] rescan speed-up on every core: {out['scan_parallel_speedup']}x",
                  flush=True)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            db_path = make_url(url).database
            out["db_bytes"] = os.path.getsize(db_path)
        else:
            out["db_bytes"] = conn.scalar(text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="items to ingest")
    ap.add_argument("--batch", type=int, default=5000, help="records per transaction")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument(
        "--scan-size",
        type=int,
        default=20000,
        help="also scan this many stored items with the real detector (0: skip)",
    )
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("NETRAL_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    ap.add_argument("--out", default=str(Path(__file__).parent / "out" / "ingest.json"))
    args = ap.parse_args()
    results = []
    for name in args.engines.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            if name == "sqlite":
                results.append(run_engine(name, f"sqlite:///{tmp / 'bench.db'}", args, tmp))
                continue
            server = make_url(args.pg_url)
            db = f"netral_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(server, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{db}"'))
            except Exception as exc:
                print(f"[postgresql] SKIPPED: server did not answer ({exc})", file=sys.stderr)
                continue
            try:
                url = server.set(database=db).render_as_string(hide_password=False)
                results.append(run_engine(name, url, args, tmp))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
                admin.dispose()
    doc = {
        "benchmark": "ingest",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "results": results,
        "source_digest": hashlib.sha256(orjson.dumps(next(records(1))[1])).hexdigest()[:12],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
