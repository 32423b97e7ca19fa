"""The hash-chained evidence ledger in the database: append, read, check."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from netral.evidence.canonical import ZERO_HASH, canonical_json, entry_hash, sha256_hex
from netral.evidence.chain import Link, check_links
from netral.evidence.models import ChainHead, LedgerEntry, append_only_installed
from netral.evidence.problems import Report

_PG_LOCK_KEY = 0x6E6574726C  # "netrl": serialises appenders on PostgreSQL


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Ledger:
    """Append-only, hash-chained list of evidence entries kept in ``evidence_ledger``."""

    def __init__(self, session: Session):
        self.session = session

    # -- reading ---------------------------------------------------------------------------
    def tip(self) -> tuple[int, str]:
        row = self.session.execute(
            select(LedgerEntry.seq, LedgerEntry.entry_hash)
            .order_by(LedgerEntry.seq.desc())
            .limit(1)
        ).first()
        return (row[0], row[1]) if row else (0, ZERO_HASH)

    def count(self) -> int:
        return self.session.execute(select(func.count()).select_from(LedgerEntry)).scalar_one()

    def get(self, seq: int) -> LedgerEntry | None:
        return self.session.get(LedgerEntry, seq)

    def links(self, start: int = 1, end: int | None = None, *, with_body: bool = True,
              batch: int = 20_000) -> Iterator[Link]:
        """Entries ``start..end`` (inclusive) in seq order, streamed in batches."""
        cols = [LedgerEntry.seq, LedgerEntry.time, LedgerEntry.prev_hash,
                LedgerEntry.body_sha256, LedgerEntry.entry_hash]
        if with_body:
            cols.append(LedgerEntry.body)
        lo = start
        while True:
            q = select(*cols).where(LedgerEntry.seq >= lo).order_by(LedgerEntry.seq).limit(batch)
            if end is not None:
                q = q.where(LedgerEntry.seq <= end)
            rows = self.session.execute(q).all()
            for r in rows:
                yield Link(r[0], r[1], r[2], r[3], r[4], r[5].encode() if with_body else None)
            if len(rows) < batch:
                return
            lo = rows[-1][0] + 1

    # -- writing ---------------------------------------------------------------------------
    def lock(self) -> None:
        """Hold the appenders' lock for the rest of the transaction (public: a caller that must
        check the ledger and then append, atomically, takes it first)."""
        self._lock()

    def _lock(self) -> None:
        """Serialise appenders for the rest of the transaction, so two processes can never
        read the same tip (the seq primary key would refuse a fork anyway)."""
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        elif dialect == "sqlite":
            # A write statement that touches no row takes SQLite's write lock (waiting up to
            # the busy timeout), so the tip read next is the latest one.
            self.session.execute(text("UPDATE evidence_ledger SET kind = kind WHERE 0 = 1"))

    def append(self, kind: str, body: dict[str, Any], *, item_id: int | None = None,
               time: str | None = None) -> LedgerEntry:
        """Add one entry after the current tip (the caller commits)."""
        self._lock()
        self.session.flush()
        seq, prev = self.tip()
        body_bytes = canonical_json(body)
        body_sha = sha256_hex(body_bytes)
        t = time or now_iso()
        row = LedgerEntry(
            seq=seq + 1, time=t, prev_hash=prev, body_sha256=body_sha,
            entry_hash=entry_hash(seq + 1, prev, t, body_sha), kind=kind, item_id=item_id,
            body=body_bytes.decode(),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def append_many(self, records: Iterable[tuple[str, dict[str, Any], int | None]],
                    *, batch: int = 10_000) -> int:
        """Bulk append of ``(kind, body, item_id)`` records (one executemany per batch)."""
        self._lock()
        self.session.flush()
        seq, prev = self.tip()
        t = now_iso()
        n = 0
        buf: list[dict[str, Any]] = []
        for kind, body, item_id in records:
            seq += 1
            body_bytes = canonical_json(body)
            body_sha = sha256_hex(body_bytes)
            h = entry_hash(seq, prev, t, body_sha)
            buf.append({"seq": seq, "time": t, "prev_hash": prev, "body_sha256": body_sha,
                        "entry_hash": h, "kind": kind, "item_id": item_id,
                        "body": body_bytes.decode()})
            prev = h
            n += 1
            if len(buf) >= batch:
                self.session.execute(insert(LedgerEntry.__table__), buf)
                buf = []
        if buf:
            self.session.execute(insert(LedgerEntry.__table__), buf)
        return n

    # -- checking --------------------------------------------------------------------------
    def verify(self, *, check_heads: bool = True, trusted_key: str | None = None,
               trusted_tsa_roots=None) -> Report:
        """Check the whole chain and every stored head; names each broken entry or head."""
        from netral.evidence.headcheck import check_head

        report = Report()
        last = check_links(self.links(), report, first_seq=1, first_prev=ZERO_HASH)
        report.facts["entries"] = last.seq if last else 0
        report.facts["tip"] = last.entry_hash if last else ZERO_HASH
        if check_heads:
            heads = self.session.execute(
                select(ChainHead).order_by(ChainHead.id)
                .execution_options(populate_existing=True)
            ).scalars()
            n = stamped = 0
            for head in heads:
                n += 1
                stamped += head.tsr is not None
                target = f"head {head.seq}"
                row_hash = self.session.execute(
                    select(LedgerEntry.entry_hash).where(LedgerEntry.seq == head.seq)
                ).scalar_one_or_none()
                if row_hash != head.entry_hash:
                    report.add("head_chain_mismatch", target, seq=head.seq)
                check_head(
                    report, target,
                    statement=head.statement, signature=head.signature,
                    public_key_pem=head.public_key_pem.encode(),
                    tsr=head.tsr,
                    chain_pem=head.tsa_chain_pem.encode() if head.tsa_chain_pem else None,
                    expect_seq=head.seq, expect_hash=head.entry_hash,
                    trusted_key=trusted_key, trusted_tsa_roots=trusted_tsa_roots,
                )
            report.facts["heads"] = n
            report.facts["heads_timestamped"] = stamped
        installed = append_only_installed(self.session.connection())
        for table, ok in installed.items():
            if not ok:
                report.add("append_only_missing", table, severity="warning", table=table)
        return report
