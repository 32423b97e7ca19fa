"""Self-audit pipeline: inputs -> files -> platform parsers -> items -> detector -> report data.

Nothing is written anywhere; the caller renders the returned :class:`AuditReport`.
"""

from __future__ import annotations

import time
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from netral.sources.archive import Export, ExportFile, Problem, ZipLimits
from netral.sources.base import ParseContext, Parser
from netral.sources.helpers import WIB, FormatError
from netral.sources.item import Item
from netral.sources.registry import MIN_CONFIDENCE, all_parsers, get_parser

# Problems that did not stop a file from being read (shown as notes, not as skipped files).
NOTICE_CODES = frozenset({"encoding_fallback", "jsonl_line"})
_TEXTUAL = (".json", ".js", ".txt", ".csv", ".jsonl", ".ndjson", ".html")
_VERDICT_RANK = {"kampanye": 2, "tinjau": 1, "netral": 0}


class AuditUsageError(ValueError):
    """Bad options (unknown platform, ...): the CLI exits with status 2."""


@dataclass(slots=True)
class AuditOptions:
    platform: str | None = None
    me: list[str] = field(default_factory=list)
    include_all: bool = False
    lang: str = "id"
    limits: ZipLimits = field(default_factory=ZipLimits)
    tz: tzinfo = WIB
    packs: Sequence[str] | None = None
    employee: str = "pns"
    account: str = "personal"


@dataclass(slots=True)
class Finding:
    item: Item
    checked_text: str
    verdict: str
    score: float
    # the detector's netral.Result (compact slotted object), or its dict form, or None when
    # nothing could be judged; ``result`` always gives the dict form
    raw: Any = None

    @property
    def result(self) -> dict[str, Any] | None:
        if self.raw is None or isinstance(self.raw, dict):
            return self.raw
        return self.raw.to_dict()

    @property
    def rank(self) -> tuple:
        ts = self.item.created_at.timestamp() if self.item.created_at else 0.0
        return (_VERDICT_RANK.get(self.verdict, 0), self.score, ts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "checked_text": self.checked_text,
            "item": self.item.to_dict(),
            "result": self.result,
        }


@dataclass(slots=True)
class SourceSummary:
    container: str
    platform: str
    label: str
    version: str
    files: int = 0
    items: int = 0


@dataclass(slots=True)
class AuditReport:
    inputs: list[str]
    lang: str
    started_at: datetime
    duration_s: float = 0.0
    sources: list[SourceSummary] = field(default_factory=list)
    scanned: int = 0
    judged: int = 0
    counts: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    items: list[Finding] = field(default_factory=list)  # every item, only with include_all
    problems: list[Problem] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    files_read: int = 0
    bytes_read: int = 0
    detector_version: str = ""
    disclaimer: str = ""
    include_all: bool = False

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.code not in NOTICE_CODES]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if p.code in NOTICE_CODES]

    @property
    def flagged(self) -> int:
        return len(self.findings)

    def by_target(self) -> list[tuple[str, int]]:
        c: Counter[str] = Counter()
        for f in self.findings:
            labels = {t.get("label") for t in (f.result or {}).get("targets", []) if t}
            for lab in labels or {None}:
                c[lab or "—"] += 1
        return c.most_common()

    def by_kind(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"scanned": 0, "flagged": 0})
        for kinds in self.counts.values():
            for k, v in kinds.items():
                out[k]["scanned"] += v["scanned"]
                out[k]["flagged"] += v["flagged"]
        return dict(out)

    def by_platform(self) -> dict[str, dict[str, int]]:
        return {
            p: {
                "scanned": sum(v["scanned"] for v in kinds.values()),
                "flagged": sum(v["flagged"] for v in kinds.values()),
            }
            for p, kinds in self.counts.items()
        }


# ---------------------------------------------------------------------------- messages


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    text = resources.files("netral.audit").joinpath("messages.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def problem_message(p: Problem, lang: str = "id") -> str:
    entry = _messages().get(p.code) or _messages()["parser_error"]
    tmpl = entry.get(lang) or entry["id"]
    return tmpl.format(detail=p.detail or p.code, position=p.position or "?")


# ---------------------------------------------------------------------------- detector


def _default_detector(packs: Sequence[str] | None):
    import netral

    return netral.get_detector(packs)


class _Judge:
    """Sends item texts to the detector in batches (one model call per batch), once per
    distinct (text, kind, day)."""

    BATCH = 256

    def __init__(self, detector, opts: AuditOptions):
        self.detector = detector
        self.opts = opts
        self.cache: dict[tuple, Any] = {}
        self.pending: list[tuple[Item, str, tuple]] = []
        self.errors = 0
        self.last_error = ""
        self.batched = hasattr(detector, "check_batch") and (opts.account, opts.employee) == (
            "personal",
            "pns",
        )

    def submit(self, item: Item, text: str) -> None:
        when = item.created_at
        self.pending.append((item, text, (text, item.kind, when.date() if when else None)))

    def _fail(self, exc: BaseException) -> None:
        self.errors += 1
        self.last_error = f"{type(exc).__name__}: {exc}"

    def _one(self, text: str, kind: str, when) -> Any:
        try:
            return self.detector.check(
                text,
                kind=kind,
                lang=self.opts.lang,
                when=when,
                account=self.opts.account,
                employee=self.opts.employee,
            )
        except Exception as exc:  # a detector bug on one text must not drop the whole file
            self._fail(exc)
            return None

    def flush(self) -> list[tuple[Item, str, Any]]:
        pending, self.pending = self.pending, []
        todo: dict[tuple, Item] = {}
        for item, _text, key in pending:
            if key not in self.cache and key not in todo:
                todo[key] = item
        if todo:
            keys = list(todo)
            results: list[Any] = []
            if self.batched:
                try:
                    results = list(
                        self.detector.check_batch(
                            [(k[0], k[1], todo[k].created_at) for k in keys], lang=self.opts.lang
                        )
                    )
                except Exception as exc:  # fall back to one by one
                    self._fail(exc)
                    results = []
            if len(results) != len(keys):
                results = [self._one(k[0], k[1], todo[k].created_at) for k in keys]
            if len(self.cache) > 20_000:  # bounded memory on huge exports
                self.cache.clear()
            for k, res in zip(keys, results, strict=True):
                if isinstance(res, Exception):
                    self._fail(res)
                    res = None
                self.cache[k] = res
        return [(item, text, self.cache.get(key)) for item, text, key in pending]


# ---------------------------------------------------------------------------- pipeline

ProgressFn = Callable[[str, int, int], None]  # (file display, bytes done, bytes total)


def assign(export: Export, parsers: list[Parser], forced: bool) -> dict[int, list[ExportFile]]:
    """Give each file to its most confident parser (index into ``parsers``)."""
    claims: dict[int, list[ExportFile]] = defaultdict(list)
    for f in export.files:
        best, best_i = 0.0, -1
        for i, p in enumerate(parsers):
            try:
                c = p.can_read(f)
            except Exception:  # a sniffing bug must not stop the audit
                c = 0.0
            if c > best:
                best, best_i = c, i
        if best_i >= 0 and (best >= MIN_CONFIDENCE or forced):
            claims[best_i].append(f)
    return claims


def run_audit(
    paths: Iterable[str | Path],
    opts: AuditOptions | None = None,
    *,
    detector=None,
    progress: ProgressFn | None = None,
) -> AuditReport:
    opts = opts or AuditOptions()
    t0 = time.perf_counter()
    if opts.platform:
        try:
            parsers = [get_parser(opts.platform)]
        except KeyError:
            raise AuditUsageError(opts.platform) from None
    else:
        parsers = all_parsers()
    if detector is None:
        detector = _default_detector(opts.packs)
    judge = _Judge(detector, opts)

    unique: dict[str, str] = {}  # the same input given twice is read once
    for p in paths:
        key = str(Path(p).resolve()) if Path(p).exists() else str(p)
        unique.setdefault(key, str(p))
    report = AuditReport(
        inputs=list(unique.values()),
        lang=opts.lang,
        started_at=datetime.now(UTC),
        include_all=opts.include_all,
    )
    with Export(opts.limits) as export:
        for p in report.inputs:
            export.add(Path(p))
        ctx = ParseContext(export=export, me=list(opts.me), tz=opts.tz)
        claims = assign(export, parsers, forced=bool(opts.platform))
        claimed = {id(f) for files in claims.values() for f in files}
        _record_unclaimed(export, claimed, report)
        for inp in report.inputs:
            if not any(
                f.display.startswith(inp) for files in claims.values() for f in files
            ) and not any(pr.file == inp for pr in export.problems):
                report.problems.append(Problem(inp, "unknown_layout"))

        total = sum(f.size for files in claims.values() for f in files) or 1
        done = 0
        counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: {"scanned": 0, "flagged": 0})
        )
        for idx in sorted(claims):
            parser, files = parsers[idx], claims[idx]
            try:
                parser.prepare(files, ctx)
            except Exception as exc:
                ctx.notice(files[0], "parser_error", f"{type(exc).__name__}: {exc}")
            by_container: dict[str, list[ExportFile]] = defaultdict(list)
            for f in files:
                by_container[f.container].append(f)
            summaries = {}
            for container, cfiles in by_container.items():
                try:
                    version = parser.version(cfiles)
                except Exception:
                    version = ""
                s = SourceSummary(container, parser.platform, parser.label, version, len(cfiles))
                summaries[container] = s
                report.sources.append(s)
            for f in files:
                if progress:
                    progress(f.display, done, total)
                n = 0
                try:
                    for item in parser.parse_file(f, ctx):
                        n += 1
                        _count_item(item, judge, report, counts)
                        if progress and n % 5000 == 0:  # big single files: show life
                            progress(f"{f.display} · {n:,}", done, total)
                except FormatError as exc:
                    ctx.notice(f, exc.code, exc.detail, exc.position)
                except (zipfile.BadZipFile, zlib.error) as exc:
                    ctx.notice(f, "bad_zip", str(exc))
                except (OSError, EOFError) as exc:
                    ctx.notice(f, "read_error", str(exc))
                except Exception as exc:
                    ctx.notice(f, "parser_error", f"{type(exc).__name__}: {exc}")
                _drain(judge, report, counts)
                summaries[f.container].items += n
                report.files_read += 1
                done += f.size
                report.bytes_read += f.size
            if progress:
                progress("", done, total)
        report.problems = [*export.problems, *report.problems, *ctx.problems]
    if judge.errors:
        report.problems.append(
            Problem("—", "detector_error", f"{judge.errors} ({judge.last_error})")
        )
    report.counts = {p: dict(k) for p, k in counts.items()}
    report.findings.sort(key=lambda f: f.rank, reverse=True)
    if opts.include_all:
        report.items.sort(key=lambda f: f.rank, reverse=True)
    report.detector_version = getattr(detector, "version", "") or ""
    report.duration_s = time.perf_counter() - t0
    return report


def _count_item(item: Item, judge: _Judge, report: AuditReport, counts) -> None:
    report.scanned += 1
    counts[item.platform][item.kind]["scanned"] += 1
    text = item.subject_text()
    if not text.strip():
        if report.include_all:
            report.items.append(Finding(item, "", "netral", 0.0, None))
        return
    report.judged += 1
    judge.submit(item, text)
    if len(judge.pending) >= judge.BATCH:
        _drain(judge, report, counts)


def _drain(judge: _Judge, report: AuditReport, counts) -> None:
    for item, text, res in judge.flush():
        if res is None:
            continue
        if not report.detector_version:
            report.detector_version = getattr(res, "detector_version", "") or ""
            report.disclaimer = getattr(res, "disclaimer", "") or ""
        flagged = bool(res.flagged)
        finding = None
        if flagged or report.include_all:
            finding = Finding(item, text, str(res.verdict), float(res.score), res)
        if flagged:
            counts[item.platform][item.kind]["flagged"] += 1
            report.findings.append(finding)
        if report.include_all and finding is not None:
            report.items.append(finding)


def _record_unclaimed(export: Export, claimed: set[int], report: AuditReport) -> None:
    for f in export.files:
        if id(f) in claimed:
            continue
        if f.name.lower().endswith(_TEXTUAL):
            err = f.cache.get("shape_error")
            if isinstance(err, FormatError):
                report.problems.append(Problem(f.display, err.code, err.detail, err.position))
            else:
                report.ignored_files.append(f.display)
