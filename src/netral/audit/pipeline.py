"""Self-audit pipeline: inputs -> files -> platform parsers -> items -> detector -> report data.

Nothing is written anywhere; the caller renders the returned :class:`AuditReport`.
"""

from __future__ import annotations

import time
import zipfile
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from netral import rules
from netral.config.messages import catalogue
from netral.detect.request import Request
from netral.images import IMAGE_EXTENSIONS, available
from netral.item import Item, Locator
from netral.sources.archive import Export, ExportFile, Problem, ZipLimits
from netral.sources.base import ParseContext, Parser
from netral.sources.bounds import bound_item, note_cuts
from netral.sources.helpers import WIB, FormatError
from netral.sources.registry import MIN_CONFIDENCE, all_parsers, get_parser

# Problems that did not stop a file from being read (shown as notes, not as skipped files).
NOTICE_CODES = frozenset({"encoding_fallback", "jsonl_line", "images_unavailable",
                          "images_capped", "text_cut"})
DEFAULT_MAX_IMAGES = 500
# Image files that are profile pictures in the exports we know (X profile_media, Instagram
# media/profile, Facebook profile_pictures, Telegram profile_pictures, demo export).
PROFILE_PHOTO_PATTERNS = ("*profile_media/*", "*media/profile/*", "*profile_picture*",
                          "*profile_photo*", "*profilepictures*", "*avatar*")
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
    boilerplate: tuple[str, ...] = ()  # the agency's standard phrases, never evidence
    images: bool = True  # judge the pictures the export holds (when netral.images works here)
    workers: int = 0  # processes judging a long audit (0 = every core but the reading one;
    # 1 = this one only)
    max_images: int = DEFAULT_MAX_IMAGES


@dataclass(slots=True)
class Finding:
    item: Item
    checked_text: str
    verdict: str
    score: float
    # the detector's netral.Result (compact slotted object), or its dict form, or None when
    # nothing could be judged; ``result`` always gives the dict form
    raw: Any = None
    image: str | None = None  # locator of the picture this finding is about (image findings)

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
            "image": self.image,
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
    images_checked: int = 0  # pictures judged
    images_flagged: int = 0
    images_not_checked: int = 0  # pictures found but left out (over --max-images)
    images_missing: int = 0  # media referenced by items but not in the export
    images_skipped_reason: str = ""  # why no picture was judged ("" when they were)

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


def problem_message(p: Problem, lang: str = "id") -> str:
    cat = catalogue("netral.audit")
    code = p.code if p.code in cat else "parser_error"
    return cat.text(code, lang, detail=p.detail or p.code, position=p.position or "?")


# ---------------------------------------------------------------------------- detector


def _default_detector(packs: Sequence[str] | None):
    from netral.detect.detector import get_detector

    return get_detector(packs)


class _Judge:
    """Sends item texts to the one ``netral.detect.judge`` in batches: each distinct request
    judged once (a memo remembers results across batches), on both cores once the audit is
    long (the pool judges one batch while this process parses the next ones), at most
    ``IN_FLIGHT`` batches under way (bounded memory)."""

    BATCH = 2_000
    IN_FLIGHT = 3

    def __init__(self, detector, opts: AuditOptions, workers: int = 0):
        from netral.detect.judge import Memo

        self.detector = detector
        self.opts = opts
        self.workers = workers
        self.memo = Memo()
        self.pending: list[tuple[Item, str]] = []
        self.under_way: deque[tuple[list[tuple[Item, str]], Any]] = deque()
        self.errors = 0
        self.last_error = ""

    def submit(self, item: Item, text: str) -> None:
        self.pending.append((item, text))

    def _fail(self, exc: BaseException) -> None:
        self.errors += 1
        self.last_error = f"{type(exc).__name__}: {exc}"

    def send(self) -> None:
        """Start judging the pending items (returns at once when the pool judges them)."""
        from netral.detect.compact import flagged_only
        from netral.detect.judge import submit

        pending, self.pending = self.pending, []
        if not pending:
            return
        o = self.opts
        # the detector's one door: the audited person's account and class on every item
        requests = [Request(text, item.kind, item.created_at, o.account, o.employee,
                            tuple(o.boilerplate), o.lang) for item, text in pending]
        # workers 0: every core but this one judges (this process reads the export on its
        # own core: on 2 cores, one worker; 3 processes on 2 cores were slower and took
        # 611 MB); workers N > 1: N judging processes; 1: this process only
        beside = self.workers != 1
        # the report lists flagged items only (unless --include-all): a netral judgement
        # comes back as a 2-field tuple, not a pickled Result (netral.detect.compact)
        compact = None if o.include_all else flagged_only
        workers = 0 if self.workers <= 0 else self.workers
        if beside and len(self.under_way) >= self.IN_FLIGHT and not self.under_way[0][1].done():
            # the pool has a full queue: rather than wait for it (flush would block), this
            # process judges this batch itself while the pool works through its queue
            workers, beside = 1, False
        self.under_way.append((pending, submit(
            requests, self.detector, workers=workers, memo=self.memo, beside=beside,
            compact=compact)))

    def flush(self, *, wait_all: bool = False) -> list[tuple[Item, str, Any]]:
        """The judged items, in the order they were submitted: the oldest batches once more
        than ``IN_FLIGHT`` are under way, every batch with ``wait_all``."""
        if len(self.pending) >= self.BATCH or wait_all:
            self.send()
        out: list[tuple[Item, str, Any]] = []
        while self.under_way and (wait_all or len(self.under_way) > self.IN_FLIGHT
                                  or self.under_way[0][1].done()):
            pending, judging = self.under_way.popleft()
            # an item that makes the detector fail yields its exception, the others their result
            for (item, text), res in zip(pending, judging.result(), strict=True):
                if isinstance(res, Exception):
                    self._fail(res)
                    res = None
                out.append((item, text, res))
        return out


# ---------------------------------------------------------------------------- pipeline

# (file display, bytes done, bytes total, items read so far)
ProgressFn = Callable[[str, int, int, int], None]


class _Reading:
    """How far the parser has read into one file, for the progress bar's ETA: the position of
    the handles it opened (a 400 MB ``tweets.js`` is one file: counting whole files alone
    would leave the bar still for minutes). Only ever asks ``tell()``; never fails."""

    def __init__(self, f: ExportFile):
        self.f, self.real = f, f._open
        self.handles: list[Any] = []
        self.last = 0

        def opening():
            h = self.real()
            self.handles.append(h)
            return h

        f._open = opening

    def position(self) -> int:
        best = 0
        for h in self.handles:
            try:
                if not h.closed:
                    best = max(best, h.tell())
            except (OSError, ValueError, AttributeError):
                continue
        self.last = max(self.last, min(best, self.f.size))  # a closed handle: keep the mark
        return self.last

    def close(self) -> None:
        self.f._open = self.real
        self.handles.clear()


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
    judge = _Judge(detector, opts, opts.workers)
    pics = _Pictures(opts)

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
        pics.index(export)
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
                    progress(f.display, done, total, report.scanned)
                n = 0
                reading = _Reading(f) if progress else None
                try:
                    for item in parser.parse_file(f, ctx):
                        bound_item(item, f)
                        n += 1
                        _count_item(item, judge, report, counts)
                        if pics.wanted and (item.media or item.kind == "bio"):
                            pics.add_item(item, f, report)
                        if reading and n % 2000 == 0:  # big single files: show life
                            progress(f.display, done + reading.position(), total,
                                     report.scanned)
                except FormatError as exc:
                    ctx.notice(f, exc.code, exc.detail, exc.position)
                except (zipfile.BadZipFile, zlib.error) as exc:
                    ctx.notice(f, "bad_zip", str(exc))
                except (OSError, EOFError) as exc:
                    ctx.notice(f, "read_error", str(exc))
                except Exception as exc:
                    ctx.notice(f, "parser_error", f"{type(exc).__name__}: {exc}")
                finally:
                    if reading:
                        reading.close()
                note_cuts(f, ctx)
                _drain(judge, report, counts)  # what is judged already; the rest goes on
                summaries[f.container].items += n
                pics.note_file(f, parser.platform)
                report.files_read += 1
                done += f.size
                report.bytes_read += f.size
            if progress:
                progress("", done, total, report.scanned)
        _drain(judge, report, counts, wait_all=True)
        pics.run(report, counts, progress)
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
    if not report.disclaimer and report.judged:  # no whole Result came back (nothing flagged)
        report.disclaimer = rules.disclaimer(opts.lang)  # what every Result carries
    report.duration_s = time.perf_counter() - t0
    return report


class _Pictures:
    """Pictures of an export: the media files items refer to and profile photos, judged with
    ``netral.images.check_image`` (read through the archive layer, so zip limits hold)."""

    def __init__(self, opts: AuditOptions):
        self.opts = opts
        self.enabled = False
        self.why = ""
        # what counts as a picture, also when pictures cannot be judged: the warning that
        # they were not checked is only worth printing when the export holds any
        self.present = 0
        self.by_name: dict[tuple[str, str], list[ExportFile]] = defaultdict(list)
        # by file name over all inputs: Meta splits big downloads into several zips, the
        # JSON in one part and its media in another
        self.anywhere: dict[str, list[ExportFile]] = defaultdict(list)
        self.todo: list[tuple[Item, ExportFile]] = []
        self.seen: set[str] = set()
        self.files_by_container: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.bios: dict[tuple[str, str], str] = {}
        # whether pictures can be judged here is asked once the export shows one (a picture
        # file, or an item referring to a local picture): the probe imports the OCR stack and
        # runs tesseract (≈ 1.3 s), which an export without pictures never needs (issue 17)
        self.wanted = bool(opts.images)
        self.probed = not opts.images
        if not opts.images:
            self.why = "off"

    def _probe(self) -> bool:
        if not self.probed:
            self.probed = True
            self.enabled, self.why = available(self.opts.lang)
        return self.enabled

    def index(self, export: Export) -> None:
        pictures = sum(f.name.lower().endswith(IMAGE_EXTENSIONS) for f in export.files)
        if pictures and self.wanted:
            self._probe()
        if not self.enabled:
            if self.why != "off":
                self.present += pictures
            return
        for f in export.files:
            if f.name.lower().endswith(IMAGE_EXTENSIONS):
                self.by_name[(f.container, f.name.lower())].append(f)
                self.anywhere[f.name.lower()].append(f)

    def _resolve(self, ref: str, f: ExportFile) -> ExportFile | None:
        ref = ref.replace("\\", "/").removeprefix("./")
        name = ref.rsplit("/", 1)[-1].lower()
        def fits(g: ExportFile) -> bool:
            return g.path == ref or g.path.endswith("/" + ref) or ref.endswith("/" + g.path)

        cands = [g for g in self.by_name.get((f.container, name), ()) if fits(g)]
        if not cands:
            cands = [g for g in self.anywhere.get(name, ()) if fits(g)]
        if not cands:
            return None
        return max(cands, key=lambda g: len(_common_prefix(g.path, f.path)))

    def add_item(self, item: Item, f: ExportFile, report: AuditReport) -> None:
        if item.kind == "bio" and item.text:  # kept for profile photos, used when enabled
            self.bios.setdefault((f.container, item.platform), item.text)
        for ref in item.media:
            if "://" in ref or not ref.lower().endswith(IMAGE_EXTENSIONS):
                continue
            if not self._probe():
                return
            g = self._resolve(ref, f)
            if g is None:
                report.images_missing += 1
                continue
            self._queue(item, g, report)

    def _queue(self, item: Item, g: ExportFile, report: AuditReport) -> None:
        if g.display in self.seen:
            return
        self.seen.add(g.display)
        if len(self.todo) >= self.opts.max_images:
            report.images_not_checked += 1
            return
        self.todo.append((item, g))

    def note_file(self, f: ExportFile, platform: str) -> None:
        if self.wanted:  # also before the probe: a later part of the export may hold pictures
            self.files_by_container[f.container].append((f.path, platform))

    def _profile_photos(self, report: AuditReport) -> None:
        for (container, _name), files in self.by_name.items():
            for g in files:
                if g.display in self.seen or not g.match(*PROFILE_PHOTO_PATTERNS):
                    continue
                parsed = self.files_by_container.get(container) or [
                    x for xs in self.files_by_container.values() for x in xs]  # split download
                if not parsed:
                    continue
                _path, platform = max(parsed, key=lambda pp: len(_common_prefix(pp[0], g.path)))
                item = Item(
                    platform=platform, kind="bio", locator=Locator(g.display),
                    text=self.bios.get((container, platform), ""), media=[g.path],
                    extra={"profile_photo": True},
                )
                self._queue(item, g, report)

    def run(self, report: AuditReport, counts, progress: ProgressFn | None) -> None:
        if not self.probed:  # no picture anywhere, none referred to: nothing to say
            return
        if not self.enabled:
            if self.why != "off" and not self.present:
                return  # nothing to check: no warning about a missing OCR engine
            report.images_skipped_reason = self.why
            if self.why != "off":
                report.problems.append(Problem("—", "images_unavailable", self.why))
            return
        from netral.images import ImageError, check_image
        from netral.images.load import MAX_FILE_BYTES

        self._profile_photos(report)
        opts = self.opts
        for i, (item, g) in enumerate(self.todo):
            if progress:
                progress(f"{g.display} ({i + 1}/{len(self.todo)})", 1, 1, report.scanned)
            try:
                if g.size > MAX_FILE_BYTES:
                    raise ImageError("too_large_file", f"{g.size:,} B > {MAX_FILE_BYTES:,} B")
                with g.open() as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
                res = check_image(
                    data, caption=item.text or None, kind=item.kind, when=item.created_at,
                    lang=opts.lang, pack=list(opts.packs) if opts.packs else None,
                    account=opts.account, employee=opts.employee, name=g.display,
                )
            except ImageError as exc:
                report.problems.append(Problem(g.display, "image_error", exc.message or exc.code))
                continue
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                report.problems.append(Problem(g.display, "read_error", str(exc)))
                continue
            except Exception as exc:  # one bad picture never stops the audit
                report.problems.append(
                    Problem(g.display, "image_error", f"{type(exc).__name__}: {exc}"))
                continue
            report.images_checked += 1
            finding = Finding(item, res.source_text, str(res.verdict), float(res.score), res,
                              image=g.display)
            if res.flagged:
                report.images_flagged += 1
                counts[item.platform][item.kind]["flagged"] += 1
                report.findings.append(finding)
            if report.include_all:
                report.items.append(finding)
        if report.images_not_checked:
            report.problems.append(Problem(
                "—", "images_capped",
                f"{report.images_not_checked} > --max-images {opts.max_images}"))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


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


def _drain(judge: _Judge, report: AuditReport, counts, *, wait_all: bool = False) -> None:
    for item, text, res in judge.flush(wait_all=wait_all):
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
        if f.cache.get("read_error"):  # e.g. a corrupt or lying zip member
            report.problems.append(Problem(f.display, "read_error", f.cache["read_error"]))
        elif f.name.lower().endswith(_TEXTUAL):
            err = f.cache.get("shape_error")
            if isinstance(err, FormatError):
                report.problems.append(Problem(f.display, err.code, err.detail, err.position))
            else:
                report.ignored_files.append(f.display)
