"""Ingestion: collector records -> items (matched to staff) -> detections -> findings.

Idempotent and resumable by construction:

* every stored value is derived from the record alone (external ids are derived from the
  content when the source has none), so re-reading a source produces the same rows;
* items, detections and findings have natural unique keys ((platform, external_id);
  (item, detector_version, pack_version); item) and are written with
  ``INSERT … ON CONFLICT DO NOTHING`` on both SQLite and PostgreSQL;
* work is committed in batches, each in one transaction: a process killed at any moment
  leaves whole batches only, and a rerun skips what is there and finishes the rest.

Each item is scanned once per (detector version, pack version); ``rescan`` scans stored items
again after a detector or pack upgrade, keeping the older detections as history.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, select
from sqlalchemy.engine import Connection, Engine

from netral.ingest.schema import RecordError, normalise_record, storable
from netral.item import Item as ActItem  # the one item type (store.models.Item is the table)
from netral.store.models import (
    Account,
    AgencySettings,
    BoilerplatePhrase,
    Detection,
    Finding,
    FindingStatus,
    IngestRun,
    Item,
    Staff,
)
from netral.store.sql import (
    copy_insert_ignore,
    copy_insert_new,
    insert_ignore,
    json_text_table,
)
from netral.store.types import utcnow

DEFAULT_BATCH = 1000
COPY_MIN = 50  # new items in a batch from which PostgreSQL takes them by COPY
DEFAULT_SAMPLE_RATE = 0.02
MAX_ERRORS_KEPT = 100
COUNT_KEYS = (
    "records",
    "invalid",
    "duplicates",
    "unmatched",
    "items_new",
    "items_existing",
    "scanned",
    "already_scanned",
    "not_scannable",
    "flagged",
    "findings_new",
    "sampled",
    "batches",
)

# what a batch's writer counts (in the batch's own report, added to the run's on commit).
# Not records, duplicates or batches: the reader thread counts those in the run's report
# itself, without the lock, while a batch is merged; rewriting them here would lose some.
# ``invalid`` is both threads' (detector errors, unreadable records): add_error locks it.
_READER_COUNTS = ("records", "duplicates", "batches")
_BATCH_COUNTS = (
    *(k for k in COUNT_KEYS if k not in _READER_COUNTS),
    "images_checked",
    "images_flagged",
    "image_errors",
)

_ERRORS_LOCK = threading.Lock()

ITEMS: Table = Item.__table__  # type: ignore[assignment]
DETECTIONS: Table = Detection.__table__  # type: ignore[assignment]
FINDINGS: Table = Finding.__table__  # type: ignore[assignment]
DETECTIONS_JSON_TEXT = json_text_table(DETECTIONS, ("result",))  # results as orjson text


@dataclass(slots=True)
class AccountInfo:
    account_id: int
    agency_id: int
    staff_id: int | None
    account_type: str
    employee_class: str


@dataclass(slots=True)
class IngestReport:
    source: str
    connector: str
    detector_version: str | None = None
    pack_version: str | None = None
    records: int = 0
    invalid: int = 0
    duplicates: int = 0  # same (platform, external_id) twice in the source
    unmatched: int = 0
    items_new: int = 0
    items_existing: int = 0
    scanned: int = 0
    already_scanned: int = 0
    not_scannable: int = 0  # no text to judge
    flagged: int = 0
    findings_new: int = 0
    sampled: int = 0
    batches: int = 0
    unmatched_accounts: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)
    new_finding_ids: list[int] = field(default_factory=list)
    images_checked: int = 0  # local media pictures judged with netral.images
    images_flagged: int = 0
    image_errors: int = 0  # unreadable pictures (listed in ``errors``)
    images_note: str = ""  # why pictures were not checked (extra/Tesseract missing, off)

    def add_error(self, position: str, message: str) -> None:
        with _ERRORS_LOCK:  # records are read while the writer thread stores (ingest_records)
            self.invalid += 1
            if len(self.errors) < MAX_ERRORS_KEPT:
                self.errors.append((position, message))

    def merge(self, part: IngestReport) -> None:
        """Add what a committed batch did (``part``, the batch's own report): a batch that
        rolls back counts nothing, not even the items it had inserted before it failed."""
        with _ERRORS_LOCK:
            for k in _BATCH_COUNTS:
                setattr(self, k, getattr(self, k) + getattr(part, k))
            self.unmatched_accounts.update(part.unmatched_accounts)
            self.errors.extend(part.errors[: max(0, MAX_ERRORS_KEPT - len(self.errors))])
            self.new_finding_ids.extend(part.new_finding_ids)

    def counts(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in COUNT_KEYS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "connector": self.connector,
            "detector_version": self.detector_version,
            "pack_version": self.pack_version,
            **self.counts(),
            "unmatched_accounts": dict(self.unmatched_accounts.most_common(50)),
            "images": {
                "checked": self.images_checked,
                "flagged": self.images_flagged,
                "errors": self.image_errors,
                "note": self.images_note,
            },
            "errors": [{"position": p, "message": m} for p, m in self.errors],
        }


class RecordRefused(Exception):
    """The database refused a record: a foreign key whose account, agency or item was
    deleted while the run went on (the roster is read when it starts), or another constraint.
    The run stops at that record; the batches before it, and the records before it in its
    own batch, stay stored (``report``: what the run did), and a re-run continues there."""

    def __init__(self, source: str, position: str | None, error: BaseException):
        from netral.store.errors import describe

        self.source = source
        self.position = position or "?"
        self.reason = describe(error)  # the driver's first line: no SQL, no values
        self.report: IngestReport | None = None
        super().__init__(f"{source}: {self.position}: {self.reason}")


# --------------------------------------------------------------------------- helpers


def detector_versions(detector) -> tuple[str, str]:
    """(detector_version, pack_version) identifying what a detection was made with.

    Uses ``detector.pack_versions`` ({pack: version}) and ``detector.version`` (the part before
    "+", which the core uses to append the packs) when present; otherwise probes one check."""
    dv = getattr(detector, "detector_version", None) or getattr(detector, "version", None)
    if isinstance(dv, str) and "+" in dv:
        dv = dv.split("+", 1)[0]
    pv = getattr(detector, "pack_version", None)
    pack_map = getattr(detector, "pack_versions", None)
    if not pv and isinstance(pack_map, dict):
        pv = ",".join(f"{n}@{v}" for n, v in sorted(pack_map.items()))
    if not dv or not pv:
        probe = detector.check("netral", kind="post")
        dv = dv or probe.detector_version.split("+", 1)[0]
        pv = pv or ",".join(sorted(probe.packs))
    if not dv:
        from netral.version import __version__

        dv = __version__
    return str(dv)[:512], str(pv or "none")[:512]  # the columns of migration 0003


def sampled(platform: str, external_id: str, rate: float) -> bool:
    """Deterministic random sample of netral items for the review queue."""
    if rate <= 0:
        return False
    h = hashlib.sha256(f"netral-sample\0{platform}\0{external_id}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64 < rate


def load_accounts(conn: Connection) -> dict[tuple[str, str], AccountInfo]:
    q = (
        select(
            Account.platform,
            Account.handle,
            Account.id,
            Account.agency_id,
            Account.staff_id,
            Account.account_type,
            Staff.employee_class,
        )
        .select_from(Account)
        .outerjoin(Staff, Staff.id == Account.staff_id)
        .where(Account.active.is_(True))
    )
    return {
        (r.platform, r.handle): AccountInfo(
            r.id, r.agency_id, r.staff_id, r.account_type, r.employee_class or "pns"
        )
        for r in conn.execute(q)
    }


@dataclass(slots=True)
class _Context:
    detector: Any
    detector_version: str
    pack_version: str
    boilerplate: dict[int, tuple[str, ...]]
    sample_rate: dict[int, float]
    default_sample_rate: float
    images: bool | None = False  # judge local media pictures too; None: not asked yet
    images_wanted: bool = False
    workers: int = 1  # processes that judge (netral.detect.judge; 0 = every core)


def _context(conn: Connection, detector, sample_rate: float | None) -> _Context:
    dv, pv = detector_versions(detector) if detector is not None else ("", "")
    boiler: dict[int, list[str]] = {}
    for agency_id, phrase in conn.execute(
        select(BoilerplatePhrase.agency_id, BoilerplatePhrase.phrase).order_by(BoilerplatePhrase.id)
    ):
        boiler.setdefault(agency_id, []).append(phrase)
    rates = {
        a: r
        for a, r in conn.execute(
            select(AgencySettings.agency_id, AgencySettings.netral_sample_rate)
        )
    }
    if sample_rate is not None:
        rates = {}
    return _Context(
        detector,
        dv,
        pv,
        {k: tuple(v) for k, v in boiler.items()},
        rates,
        DEFAULT_SAMPLE_RATE if sample_rate is None else sample_rate,
    )


# --------------------------------------------------------------------------- scanning


@dataclass(slots=True)
class _ScanRow:
    item_id: int
    agency_id: int
    staff_id: int | None
    platform: str
    external_id: str
    kind: str
    text: str
    created_at: datetime | None
    account_type: str
    employee_class: str
    media: list[Any] = field(default_factory=list)
    source: str = ""


def _requests(ctx: _Context, rows: list[_ScanRow]) -> list[Any]:
    """One request per row, with its own account type, employee class and agency
    boilerplate: the same request every door builds (issue 13)."""
    from netral.detect.request import Request

    return [
        Request(r.text, r.kind, r.created_at, r.account_type, r.employee_class,
                tuple(ctx.boilerplate.get(r.agency_id, ())))
        for r in rows
    ]


@dataclass(slots=True)
class _Scan:
    """One batch's scan under way (:func:`_start_scan`), finished by :func:`_finish_scan`."""

    todo: list[_ScanRow]
    pictures: dict[int, list[tuple[str, Path]]]
    plain: list[_ScanRow]  # judged on their text alone: compact results (netral.detect.compact)
    judging: Any  # netral.detect.judge.Judging, or None
    with_pictures: list[_ScanRow]  # text and pictures: whole Results, to merge
    judging_full: Any

    def done(self) -> bool:
        return all(j is None or j.done() for j in (self.judging, self.judging_full))


def _pictures_on(ctx: _Context, report: IngestReport) -> bool:
    """Whether local pictures are judged; asked of ``netral.images`` the first time an item
    has media (the probe imports OCR libraries and runs Tesseract: about 1.7 s that a run of
    text-only items does not need to pay)."""
    if ctx.images is None:
        ok, why = images_status(ctx.images_wanted)
        ctx.images = ok
        report.images_note = "" if ok else why
    return bool(ctx.images)


def _start_scan(conn: Connection | None, rows: list[_ScanRow], ctx: _Context,
                report: IngestReport, *, here: bool = False,
                beside: bool = False) -> _Scan | None:
    """Skip items already scanned for the current versions (asked of ``conn``; None when the
    caller's query excluded them already), find local pictures, and start judging the texts
    with the one ``netral.detect.judge.submit`` (on the worker pool it returns at once, so a
    caller may read its next batch meanwhile). ``here``: judge in this process whatever
    ``ctx.workers`` says; ``beside``: the pool leaves a core to this process."""
    from netral.detect.judge import submit

    if not rows or ctx.detector is None:
        return None
    todo = rows
    if conn is not None:
        done = set(
            conn.execute(
                select(DETECTIONS.c.item_id).where(
                    DETECTIONS.c.item_id.in_([r.item_id for r in rows]),
                    DETECTIONS.c.detector_version == ctx.detector_version,
                    DETECTIONS.c.pack_version == ctx.pack_version,
                )
            ).scalars()
        )
        report.already_scanned += len(done)
        todo = [r for r in rows if r.item_id not in done]
    from netral.detect.compact import detection

    plain, with_pictures = [], []
    pictures: dict[int, list[tuple[str, Path]]] = {}
    for r in todo:
        if r.media and _pictures_on(ctx, report):
            pictures[r.item_id] = local_pictures(r.media, r.source)
        if r.text.strip():
            (with_pictures if pictures.get(r.item_id) else plain).append(r)
        elif pictures.get(r.item_id):
            pass  # judged on its pictures only
        else:
            report.not_scannable += 1
    workers, beside = (1, False) if here else (ctx.workers, beside)
    judging = (submit(_requests(ctx, plain), ctx.detector, workers=workers, beside=beside,
                      compact=detection) if plain else None)
    judging_full = (submit(_requests(ctx, with_pictures), ctx.detector, workers=workers,
                           beside=beside) if with_pictures else None)
    return _Scan(todo, pictures, plain, judging, with_pictures, judging_full)


def _scan_rows(conn: Connection, rows: list[_ScanRow], ctx: _Context, report: IngestReport) -> None:
    """Scan items lacking a detection for the current versions; create findings."""
    _finish_scan(conn, _start_scan(conn, rows, ctx, report), ctx, report)


def _finish_scan(conn: Connection, scan: _Scan | None, ctx: _Context,
                 report: IngestReport) -> None:
    """Wait for a batch's results; write its detections and findings in ``conn``'s
    transaction. One item that made the detector fail is recorded with its error: it never
    costs the other items their verdict, nor the run its end (issue 13)."""
    if scan is None:
        return
    pictures = scan.pictures
    text_results: dict[int, Any] = {}
    for rows, judging in ((scan.plain, scan.judging), (scan.with_pictures, scan.judging_full)):
        if judging is not None:
            text_results.update(zip((r.item_id for r in rows), judging.result(), strict=True))
    det_rows: list[dict] = []
    by_item: dict[int, _ScanRow] = {}
    now = utcnow()
    for r in scan.todo:
        if r.item_id not in text_results and not pictures.get(r.item_id):
            continue
        result = text_results.get(r.item_id)
        if isinstance(result, Exception):
            report.add_error(f"item {r.platform}:{r.external_id}", f"detector: {result}")
            continue
        if pictures.get(r.item_id):
            merged = _with_pictures(ctx, r, result, pictures[r.item_id], report)
            if merged is None:
                continue
            verdict, score, result_dict = merged
            result_json = json.dumps(result_dict)  # what the JSON column itself would write
        else:  # netral.detect.compact.detection, made where it was judged
            verdict, score, result_json = result
        det_rows.append(
            {
                "item_id": r.item_id,
                "detector_version": ctx.detector_version,
                "pack_version": ctx.pack_version,
                "verdict": verdict,
                "score": score,
                "result": result_json,
                "scanned_at": now,
            }
        )
        by_item[r.item_id] = r
    if not det_rows:
        return
    insert_ignore(conn, DETECTIONS_JSON_TEXT, det_rows,
                  ["item_id", "detector_version", "pack_version"])
    report.scanned += len(det_rows)
    det_ids = dict(
        conn.execute(
            select(DETECTIONS.c.item_id, DETECTIONS.c.id).where(
                DETECTIONS.c.item_id.in_(list(by_item)),
                DETECTIONS.c.detector_version == ctx.detector_version,
                DETECTIONS.c.pack_version == ctx.pack_version,
            )
        ).all()
    )
    finding_rows: list[dict] = []
    for d in det_rows:
        r = by_item[d["item_id"]]
        flagged = d["verdict"] != "netral"
        report.flagged += flagged
        is_sample = False
        if not flagged:
            rate = ctx.sample_rate.get(r.agency_id, ctx.default_sample_rate)
            is_sample = sampled(r.platform, r.external_id, rate)
            if not is_sample:
                continue
        finding_rows.append(
            {
                "agency_id": r.agency_id,
                "item_id": r.item_id,
                "detection_id": det_ids.get(r.item_id),
                "staff_id": r.staff_id,
                "status": FindingStatus.NEW.value,
                "risk_score": d["score"],
                "sampled_as_netral": is_sample,
                "created_at": now,
                "updated_at": now,
            }
        )
    if not finding_rows:
        return
    item_ids = [f["item_id"] for f in finding_rows]
    had = set(
        conn.execute(select(FINDINGS.c.item_id).where(FINDINGS.c.item_id.in_(item_ids))).scalars()
    )
    insert_ignore(conn, FINDINGS, finding_rows, ["item_id"])
    new = [f for f in finding_rows if f["item_id"] not in had]
    report.findings_new += len(new)
    report.sampled += sum(1 for f in new if f["sampled_as_netral"])
    if new:
        report.new_finding_ids.extend(
            conn.execute(
                select(FINDINGS.c.id).where(FINDINGS.c.item_id.in_([f["item_id"] for f in new]))
            ).scalars()
        )


# --------------------------------------------------------------------------- pictures

_VERDICT_RANK = {"kampanye": 2, "tinjau": 1, "netral": 0}


def images_status(enabled: bool = True) -> tuple[bool, str]:
    """(True, "") when local media pictures can be judged; else (False, why)."""
    if not enabled:
        return False, "image checks switched off"
    try:
        from netral.images import available
    except ImportError as exc:  # pragma: no cover - the module ships with netral
        return False, str(exc)
    return available("en")  # ingest reports are in English (operators' log)


def local_pictures(media: list[Any], source: str) -> list[tuple[str, Path]]:
    """(reference, path) of the item's media that are picture files in the collector's media
    folder, admitted by the same gate as evidence capture (:mod:`netral.evidence.media`);
    URLs are never fetched (the collector downloads media)."""
    from netral.evidence.media import classify_all
    from netral.images import IMAGE_EXTENSIONS

    return [(m.ref, m.path) for m in classify_all(media, source)
            if m.path is not None and m.path.suffix.lower() in IMAGE_EXTENSIONS]


def _with_pictures(
    ctx: _Context, r: _ScanRow, text_result: Any, pics: list[tuple[str, Path]],
    report: IngestReport,
) -> tuple[str, float, dict[str, Any]] | None:
    """Merge the item's text result with its pictures' results: the most severe one becomes
    the detection's verdict/score/result; every picture's verdict, reasons and recognised
    words are kept under ``result["images"]``."""
    from netral.images import ImageError, check_image

    best = text_result
    images: list[dict[str, Any]] = []
    for ref, path in pics:
        try:
            res = check_image(
                path, caption=r.text or None, kind=r.kind, when=r.created_at,
                account=r.account_type, employee=r.employee_class,
            )
        except ImageError as exc:
            report.image_errors += 1
            if len(report.errors) < MAX_ERRORS_KEPT:
                report.errors.append((f"item {r.platform}:{r.external_id} media {ref}",
                                      f"{exc.code}: {exc.message}"))
            images.append({"media": ref, "error": exc.code, "message": exc.message})
            continue
        except ValueError as exc:
            report.add_error(f"item {r.platform}:{r.external_id} media {ref}", str(exc))
            continue
        report.images_checked += 1
        report.images_flagged += bool(res.flagged)
        d = res.to_dict()
        images.append({
            "media": ref,
            "verdict": str(res.verdict),
            "score": float(res.score),
            "reasons": [x for x in d.get("reasons") or [] if x.get("where") != "caption"],
            "ocr_text": getattr(res, "ocr_text", ""),
            "gestures": d.get("gestures"),
            "gesture_method": d.get("gesture_method"),  # landmark, or the classical fallback
            "notes": d.get("notes"),
        })
        if best is None or (
            (_VERDICT_RANK.get(str(res.verdict), 0), float(res.score))
            > (_VERDICT_RANK.get(str(best.verdict), 0), float(best.score))
        ):
            best = res
    if best is None:
        return None
    out = best.to_dict()
    out["images"] = images
    out["judged_on"] = "image" if best is not text_result else "text"
    return str(best.verdict), float(best.score), out


# --------------------------------------------------------------------------- ingest


def _set_images(ctx: _Context, report: IngestReport, enabled: bool) -> None:
    ctx.images_wanted = enabled
    if enabled:
        ctx.images = None  # asked when an item first has media (_pictures_on)
        return
    ok, why = images_status(enabled)
    ctx.images = ok
    report.images_note = "" if ok else why


def _batches(it: Iterable, size: int) -> Iterator[list]:
    """``it`` in lists of ``size``. When reading fails part-way (a JSON array broken in the
    middle), the records read before the failure still come out as a last batch, then the
    error: they are stored, not lost with it (an interrupt, a BaseException, stops at once)."""
    batch: list = []
    try:
        for x in it:
            batch.append(x)
            if len(batch) >= size:
                yield batch
                batch = []
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def _item_ids(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of stored items by (platform, external_id); one indexed query per platform
    (``platform = ? AND external_id IN (…)`` uses the unique index on both engines, where a
    row-value IN list does not on PostgreSQL)."""
    by_platform: dict[str, list[str]] = {}
    for p, e in keys:
        by_platform.setdefault(p, []).append(e)
    found: dict[tuple[str, str], int] = {}
    pg = conn.dialect.name == "postgresql"
    for p, ids in by_platform.items():
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            if pg:  # one array parameter: cheaper to send and plan than 5000 IN parameters
                from sqlalchemy import String, any_, bindparam
                from sqlalchemy.dialects.postgresql import ARRAY

                cond = ITEMS.c.external_id == any_(bindparam("ids", chunk, type_=ARRAY(String)))
            else:
                cond = ITEMS.c.external_id.in_(chunk)
            q = select(ITEMS.c.external_id, ITEMS.c.id).where(ITEMS.c.platform == p, cond)
            for e, item_id in conn.execute(q):
                found[(p, e)] = item_id
    return found


def _store_batch(
    conn: Connection,
    batch: list[ActItem],
    accounts: dict[tuple[str, str], AccountInfo],
    ctx: _Context,
    report: IngestReport,
    source: str,
) -> None:
    matched: list[tuple[ActItem, AccountInfo]] = []
    for it in batch:
        info = accounts.get((it.platform, it.author))
        if info is None:
            report.unmatched += 1
            report.unmatched_accounts[f"{it.platform}:{it.author}"] += 1
            continue
        matched.append((it, info))
    if not matched:
        return
    existing = _item_ids(conn, [(it.platform, it.id) for it, _ in matched])
    now = utcnow()
    new_rows = [
        {
            "platform": it.platform,
            "external_id": it.id,
            "kind": it.kind,
            "agency_id": info.agency_id,
            "account_id": info.account_id,
            "handle": it.author,
            "text": it.subject_text(),
            "created_at": it.created_at,
            "url": it.url,
            "media": it.media,
            "raw": it.provenance.raw,
            "content_hash": it.provenance.content_hash,
            "collected_at": it.provenance.collected_at or now,
            "collector": it.provenance.collector,
            "source": source[:1024],
        }
        for it, info in matched
        if (it.platform, it.id) not in existing
    ]
    scanning = ctx.detector is not None
    if conn.dialect.name == "postgresql" and len(new_rows) >= COPY_MIN and not scanning:
        # no ids needed: COPY straight into items, the rows just looked up as absent (a
        # concurrent run that stored some since makes it fall back to the path below)
        inserted = copy_insert_new(conn, ITEMS, new_rows, ["platform", "external_id"])
    elif conn.dialect.name == "postgresql" and len(new_rows) >= COPY_MIN:
        # COPY into a staging table + one INSERT … SELECT … ON CONFLICT … RETURNING: the ids
        # come back with the insert (issue 17)
        ids = copy_insert_ignore(conn, ITEMS, new_rows, ["platform", "external_id"])
        inserted = len(ids)
        existing.update(ids)
        lost = [(r["platform"], r["external_id"]) for r in new_rows
                if (r["platform"], r["external_id"]) not in ids]
        if lost and scanning:  # a concurrent run inserted these first: their ids
            existing.update(_item_ids(conn, lost))
    else:
        inserted = insert_ignore(conn, ITEMS, new_rows, ["platform", "external_id"])
        if new_rows and scanning:  # the ids only matter to the scan
            existing.update(_item_ids(conn, [(r["platform"], r["external_id"])
                                             for r in new_rows]))
    report.items_new += inserted  # rows really inserted: a concurrent run may have won some
    report.items_existing += len(matched) - inserted
    if not scanning:
        return
    scan_rows = [
        _ScanRow(
            existing[(it.platform, it.id)],
            info.agency_id,
            info.staff_id,
            it.platform,
            it.id,
            it.kind,
            it.subject_text(),
            it.created_at,
            info.account_type,
            info.employee_class,
            it.media,
            source,
        )
        for it, info in matched
    ]
    _scan_rows(conn, scan_rows, ctx, report)


def ingest_records(
    engine: Engine,
    records: Iterable[tuple[str, Any]],
    *,
    source: str,
    connector: str = "file",
    detector=None,
    scan: bool = True,
    batch_size: int = DEFAULT_BATCH,
    default_platform: str | None = None,
    default_handle: str | None = None,
    collector: str = "",
    sample_rate: float | None = None,
    actor: str = "cli",
    on_batch: Callable[[IngestReport], None] | None = None,
    images: bool = True,
    workers: int = 1,
) -> IngestReport:
    """Store ``(position, record)`` pairs; returns what happened.

    ``detector``: a ``netral.get_detector()`` object (default: the shared one when ``scan``).
    ``sample_rate``: share of netral items sent to review (default: each agency's setting).
    ``images``: also judge the local media pictures the collector downloaded (when
    ``netral.images.available()``; otherwise ``report.images_note`` says why not).
    """

    if scan and detector is None:
        from netral.detect.detector import get_detector

        detector = get_detector()
    if not scan:
        detector = None
    # a file name with an undecodable byte (kept by surrogateescape) is stored with every item
    source = storable(source)
    report = IngestReport(source=source, connector=connector)
    with engine.connect() as conn:
        accounts = load_accounts(conn)
        ctx = _context(conn, detector, sample_rate)
    ctx.workers = workers
    _set_images(ctx, report, images and detector is not None)
    report.detector_version = ctx.detector_version or None
    report.pack_version = ctx.pack_version or None
    close_interrupted_runs(engine)
    with engine.begin() as conn:
        run_id = conn.execute(
            IngestRun.__table__.insert().returning(IngestRun.__table__.c.id),
            {"source": source[:2048], "connector": connector, "started_at": utcnow(),
             "counts": {"host": socket.gethostname(), "pid": os.getpid()}},
        ).scalar_one()

    def normalised() -> Iterator[ActItem]:
        seen: set[tuple[str, str]] = set()
        for position, rec in records:
            report.records += 1
            if isinstance(rec, Exception):
                report.add_error(position, str(rec))
                continue
            try:
                item = normalise_record(
                    rec,
                    default_platform=default_platform,
                    default_handle=default_handle,
                    collector=collector,
                    source=source[:1024],
                    where=str(position),
                )
            except RecordError as exc:
                report.add_error(position, str(exc))
                continue
            key = (item.platform, item.id)
            if key in seen:
                report.duplicates += 1
                continue
            seen.add(key)
            yield item

    # One batch is stored (and scanned) by a writer thread while this one reads and
    # normalises the next: the database works (on its own core, for PostgreSQL) while Python
    # does, instead of each waiting for the other. Still one transaction per batch, in order.
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="netral-ingest")
    storing: Future | None = None

    def commit(batch: list[ActItem]) -> None:  # one transaction; counted once committed
        part = IngestReport(source=source, connector=connector)
        try:
            with engine.begin() as conn:
                _store_batch(conn, batch, accounts, ctx, part, source)
        finally:  # said once per run (ctx.images), whether this batch commits or not
            report.images_note = report.images_note or part.images_note
        report.merge(part)

    def store(batch: list[ActItem]) -> None:
        _commit_halving(batch, commit,
                        lambda rec, exc: RecordRefused(source, rec.locator.where, exc))

    def stored() -> None:  # wait for the batch under way; count it
        nonlocal storing
        if storing is not None:
            under_way, storing = storing, None
            under_way.result()
            report.batches += 1
            if on_batch is not None:
                on_batch(report)

    aborted: BaseException | None = None
    try:
        for batch in _batches(normalised(), batch_size):
            stored()
            storing = writer.submit(store, batch)
        stored()
    except BaseException as exc:  # the run still records how it ended, then the error goes on
        aborted = exc
        with contextlib.suppress(BaseException):
            stored()  # the batch under way commits or rolls back whole before the run closes
    finally:
        writer.shutdown(wait=True)
    counts = report.counts()
    if aborted is not None:
        counts["aborted"] = f"{type(aborted).__name__}: {aborted}"[:500]
    try:
        _finish_run(engine, run_id, counts, report, source, connector, actor)
    except Exception:
        if aborted is None:
            raise
    if aborted is not None:
        with contextlib.suppress(AttributeError):  # what was stored before it stopped
            aborted.report = report  # type: ignore[attr-defined]
        raise aborted
    return report


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def close_interrupted_runs(engine: Engine) -> int:
    """Mark as aborted the unfinished runs that this machine started and whose process is gone
    (kill -9, power loss): their row would otherwise say "running" forever. Runs of other
    machines, and of live processes here, are left alone. Returns how many were closed."""
    table = IngestRun.__table__
    host = socket.gethostname()
    closed = 0
    with engine.begin() as conn:
        for run_id, counts in conn.execute(
            select(table.c.id, table.c.counts).where(table.c.finished_at.is_(None))
        ).all():
            counts = dict(counts or {})
            pid = counts.get("pid")
            if counts.get("host") != host or not isinstance(pid, int) or _process_alive(pid):
                continue
            counts["aborted"] = "interrupted: the process ended without finishing the run"
            closed += conn.execute(
                table.update().where(table.c.id == run_id, table.c.finished_at.is_(None))
                .values(finished_at=utcnow(), counts=counts)
            ).rowcount
    return closed


def _finish_run(engine: Engine, run_id: int, counts: dict[str, Any], report: IngestReport,
                source: str, connector: str, actor: str) -> None:
    from netral.store import audit
    from netral.store.base import make_sessionmaker

    with make_sessionmaker(engine)() as session:
        run = session.get(IngestRun, run_id)
        if run is not None:
            run.finished_at = utcnow()
            run.counts = counts
        audit.record(
            session,
            "ingest.run",
            actor=actor,
            object_type="ingest_run",
            object_id=run_id,
            details={
                "source": source[:512],
                "connector": connector,
                "detector_version": report.detector_version,
                "pack_version": report.pack_version,
                **counts,
            },
        )
        session.commit()


def _commit_halving(batch: list[Any], commit: Callable[[list[Any]], None],
                    refusal: Callable[[Any, BaseException], RecordRefused]) -> None:
    """Commit ``batch``; when the database refuses it (it rolled back whole), its halves in
    order, each committed on its own, down to the one record refused: the records before it
    stay and ``refusal`` names it (a race that is over by now stores them all). About
    2·log2(size) transactions, not one per record. Ingest's batches and rescan's verdicts."""
    from netral.store.errors import refused

    try:
        commit(batch)
    except Exception as exc:
        if not refused(exc):
            raise
        if len(batch) == 1:
            raise refusal(batch[0], exc) from None
        half = len(batch) // 2
        _commit_halving(batch[:half], commit, refusal)
        _commit_halving(batch[half:], commit, refusal)


def _write_scan(engine: Engine, scan: _Scan | None, ctx: _Context,
                report: IngestReport) -> None:
    """Write one rescanned batch in its own transaction, counted once it commits.

    Items are read, then judged, then written: an item deleted in between (retention, an
    administrator, its account or agency removed) makes the database refuse the batch. The
    items that are gone are left out — nothing is left to judge — and the rest written; a
    record refused for another reason is found by halving, as ingest does, and stops the run
    naming it (:class:`RecordRefused`), the batches and records before it written."""
    from netral.store.errors import refused

    if scan is None:
        return

    def commit(rows: list[_ScanRow]) -> None:
        part = IngestReport(source="<database>", connector="rescan")
        with engine.begin() as conn:
            _finish_scan(conn, replace(scan, todo=rows), ctx, part)
        report.merge(part)

    try:
        commit(scan.todo)
    except Exception as exc:
        if not refused(exc):
            raise
        ids = [r.item_id for r in scan.todo]
        with engine.connect() as conn:
            alive = set(conn.execute(select(ITEMS.c.id).where(ITEMS.c.id.in_(ids))).scalars())
        todo = [r for r in scan.todo if r.item_id in alive]
        if todo:
            _commit_halving(todo, commit, lambda r, e: RecordRefused(
                "<database>", f"item {r.platform}:{r.external_id}", e))


def rescan(
    engine: Engine,
    *,
    detector=None,
    agency_id: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    sample_rate: float | None = None,
    actor: str = "cli",
    limit: int | None = None,
    images: bool = True,
    workers: int = 1,
) -> IngestReport:
    """Scan stored items that have no detection for the current detector/pack versions
    (at most ``limit`` items when given)."""
    from netral.store import audit
    from netral.store.base import make_sessionmaker

    if detector is None:
        from netral.detect.detector import get_detector

        detector = get_detector()
    report = IngestReport(source="<database>", connector="rescan")
    with engine.connect() as conn:
        ctx = _context(conn, detector, sample_rate)
    ctx.workers = workers
    _set_images(ctx, report, images)
    report.detector_version, report.pack_version = ctx.detector_version, ctx.pack_version
    # read, judge and write overlap: while the worker pool judges one batch, this process
    # writes the batch before it and reads the next (each batch still commits whole)
    under_way: deque[_Scan | None] = deque()

    def write_oldest() -> None:
        scan = under_way.popleft()
        try:
            _write_scan(engine, scan, ctx, report)
        except RecordRefused as exc:
            exc.report = report  # what the batches before it wrote
            raise
        report.batches += 1

    last_id = 0
    while True:
        with engine.begin() as conn:
            q = (
                select(
                    ITEMS.c.id,
                    ITEMS.c.agency_id,
                    Account.staff_id,
                    ITEMS.c.platform,
                    ITEMS.c.external_id,
                    ITEMS.c.kind,
                    ITEMS.c.text,
                    ITEMS.c.created_at,
                    Account.account_type,
                    Staff.employee_class,
                    ITEMS.c.media,
                    ITEMS.c.source,
                )
                .select_from(ITEMS)
                .outerjoin(Account, Account.id == ITEMS.c.account_id)
                .outerjoin(Staff, Staff.id == Account.staff_id)
                .where(
                    ITEMS.c.id > last_id,
                    ~select(DETECTIONS.c.id)
                    .where(
                        and_(
                            DETECTIONS.c.item_id == ITEMS.c.id,
                            DETECTIONS.c.detector_version == ctx.detector_version,
                            DETECTIONS.c.pack_version == ctx.pack_version,
                        )
                    )
                    .exists(),
                )
                .order_by(ITEMS.c.id)
                .limit(batch_size if limit is None else min(batch_size, limit - report.records))
            )
            if agency_id is not None:
                q = q.where(ITEMS.c.agency_id == agency_id)
            rows = conn.execute(q).all() if limit is None or report.records < limit else []
            if not rows:
                break
            last_id = rows[-1].id
            report.records += len(rows)
            scan_rows = [
                _ScanRow(
                    r.id,
                    r.agency_id,
                    r.staff_id,
                    r.platform,
                    r.external_id,
                    r.kind,
                    r.text or "",
                    r.created_at,
                    r.account_type or "personal",
                    r.employee_class or "pns",
                    r.media or [],
                    r.source or "",
                )
                for r in rows
            ]
        # the query left out the items scanned already: no second look (conn None). On
        # every core, the pool leaves this process a core (it reads and writes), and while
        # the pool is still judging the batch before (or starting up), this process judges
        # the next batch itself: both cores judge
        pooled = ctx.workers != 1
        last = under_way[-1] if under_way else None
        behind = pooled and last is not None and not last.done()
        under_way.append(_start_scan(None, scan_rows, ctx, report, here=behind,
                                     beside=pooled))
        if len(under_way) > 1 or ctx.workers == 1:
            write_oldest()
    while under_way:
        write_oldest()
    with make_sessionmaker(engine)() as session:
        audit.record(
            session,
            "ingest.rescan",
            actor=actor,
            agency_id=agency_id,
            details={
                "detector_version": report.detector_version,
                "pack_version": report.pack_version,
                **report.counts(),
            },
        )
        session.commit()
    return report
