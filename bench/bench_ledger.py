"""Evidence ledger speed: bulk append, one-by-one append, and full-chain verification.

    .venv/bin/python bench/bench_ledger.py                       # 1,000,000 entries, SQLite
    .venv/bin/python bench/bench_ledger.py --entries 100000
    .venv/bin/python bench/bench_ledger.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test

Each entry carries a capture-like body (four files with SHA-256 and size). On PostgreSQL the
run uses a fresh schema that is dropped afterwards. Prints a JSON line with the numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def _body(i: int) -> dict:
    h = hashlib.sha256(str(i).encode()).hexdigest()
    return {
        "type": "capture", "format": "netral-capture/1", "item_id": i,
        "captured_at": "2024-02-01T08:00:00.000000Z", "collector": "bench/1",
        "source_url": f"https://example.org/status/{i}",
        "files": [{"role": r, "name": n, "sha256": h, "size": 1000 + i % 97,
                   "media_type": "application/json"}
                  for r, n in (("meta", "meta.json"), ("raw", "raw.json"),
                               ("text", "text.txt"), ("media", "media/01-a.jpg"))],
    }


def _prepare(url: str | None, workdir: Path) -> tuple[str, callable]:
    if url is None:
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))

    def cleanup() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False), cleanup


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--single", type=int, default=2_000,
                    help="entries appended one at a time (each its own transaction)")
    ap.add_argument("--db", default=None, help="PostgreSQL URL (default: a temporary SQLite)")
    args = ap.parse_args(argv)

    from netral.evidence.ledger import Ledger
    from netral.store.base import make_engine, make_sessionmaker
    from netral.store.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="netral-bench-") as tmp:
        url, cleanup = _prepare(args.db, Path(tmp))
        try:
            upgrade(url)
            engine = make_engine(url)
            Session = make_sessionmaker(engine)
            out: dict = {"db": engine.dialect.name, "entries": args.entries}

            t0 = time.perf_counter()
            with Session() as s:
                Ledger(s).append_many(("capture", _body(i), i) for i in range(args.entries))
                s.commit()
            dt = time.perf_counter() - t0
            out["bulk_append_s"] = round(dt, 2)
            out["bulk_append_per_s"] = round(args.entries / dt)

            t0 = time.perf_counter()
            for i in range(args.single):
                with Session() as s:
                    Ledger(s).append("capture", _body(args.entries + i), item_id=i)
                    s.commit()
            dt = time.perf_counter() - t0
            out["single_append_n"] = args.single
            out["single_append_per_s"] = round(args.single / dt) if dt else None

            total = args.entries + args.single
            t0 = time.perf_counter()
            with Session() as s:
                report = Ledger(s).verify()
            dt = time.perf_counter() - t0
            assert report.ok, [p.message("en") for p in report.errors][:5]
            assert report.facts["entries"] == total
            out["verify_s"] = round(dt, 2)
            out["verify_per_s"] = round(total / dt)
            engine.dispose()
        finally:
            cleanup()
    print(orjson.dumps(out).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
