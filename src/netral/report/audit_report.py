"""Self-audit report: one self-contained offline HTML file, or JSON / CSV for machines.

The HTML has inline CSS, a server-rendered inline SVG chart and one small inline script (the
filters and grouping); nothing is loaded from anywhere else. Its Content-Security-Policy
allows exactly that style and that script by hash and forbids every load and connection, so
the report works from a file:// URL without a network and injected markup cannot run.
"""

from __future__ import annotations

import base64
import calendar
import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

import orjson
import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from netral.audit.pipeline import AuditReport, Finding, problem_message
from netral.report.cards import (
    ACTIONS,
    NO_TARGET,
    SHOWN_PLACES,
    Card,
    advice_of,
    build_cards,
    count_by,
    platform_key,
    reasons_of,
    rules_of,
)
from netral.sources.helpers import WIB
from netral.version import __version__

HTML_FINDINGS_CAP = 2000  # findings shown in the HTML (all are in JSON/CSV)
HTML_ITEMS_CAP = 5000  # --include-all rows shown in the HTML


# ---------------------------------------------------------------------------- strings


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("netral.report").joinpath("i18n.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def strings(lang: str) -> dict[str, str]:
    lang = lang if lang in ("id", "en") else "id"
    return {k: (v.get(lang) or v["id"]) for k, v in _catalogue().items()}


class Strings:
    """The strings as the templates read them. Jinja looks up ``s.items`` as an attribute
    before a key, so a plain dict gave ``dict.items`` (the report printed "<built-in method
    items of dict object>"); this object has no attribute a string key could hide behind."""

    __slots__ = ("_d",)

    def __init__(self, d: dict[str, str]):
        self._d = d

    def __getattr__(self, key: str) -> str:
        try:
            return self._d[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> str:
        return self._d[key]


# ---------------------------------------------------------------------------- periods


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: date
    end: date
    kind: str  # kampanye | tenang | pemungutan | lainnya
    election: str


_PERIOD_EN = {"kampanye": "campaign period", "tenang": "quiet period", "pemungutan": "voting day"}


def campaign_periods(lang: str = "id", packs=None) -> list[Period]:
    """Campaign periods and voting days of the knowledge packs (empty if none load)."""
    try:
        from netral.packs import load_packs

        loaded = load_packs(tuple(packs) if packs else None)
    except Exception:  # a broken user pack must not stop the report
        return []
    out = []
    for p in loaded:
        title = (p.title_en or p.title) if lang == "en" else p.title
        for per in p.campaign_periods:
            label = per.label if lang == "id" else f"{title}: {_PERIOD_EN.get(per.kind, per.kind)}"
            out.append(Period(label, per.start, per.end, per.kind, title))
    return sorted(out, key=lambda x: x.start)


# ---------------------------------------------------------------------------- chart

W, H = 960, 270
PAD_L, PAD_R, PAD_T, PAD_B = 44, 12, 34, 44


def _month_index(d: date, first: tuple[int, int]) -> float:
    base = (d.year - first[0]) * 12 + (d.month - first[1])
    days = calendar.monthrange(d.year, d.month)[1]
    return base + (d.day - 1) / days


def timeline(findings: list[Finding], periods: list[Period], lang: str) -> dict[str, Any]:
    """Geometry of the monthly findings chart (rendered as inline SVG by the template)."""
    s = strings(lang)
    dated = [f for f in findings if f.item.created_at is not None]
    if not dated:
        return {"empty": True, "width": W, "height": H}
    months = Counter()
    for f in dated:
        d = f.item.created_at.astimezone(UTC)
        months[(d.year, d.month, f.verdict)] += 1
    ds = [f.item.created_at.astimezone(UTC).date() for f in dated]
    lo, hi = min(ds), max(ds)
    # show the campaign periods next to the findings: extend to periods within 6 months
    for p in periods:
        if p.kind == "kampanye" and (p.end - lo).days > -190 and (p.start - hi).days < 190:
            lo, hi = min(lo, p.start), max(hi, p.end)
    first = (lo.year, lo.month)
    n = (hi.year - lo.year) * 12 + (hi.month - lo.month) + 1
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    bw = plot_w / n
    totals = [0] * n
    bars = []
    mnames = s["months"].split()
    for i in range(n):
        y, m = first[0] + (first[1] - 1 + i) // 12, (first[1] - 1 + i) % 12 + 1
        k, t = months.get((y, m, "kampanye"), 0), months.get((y, m, "tinjau"), 0)
        totals[i] = k + t
        bars.append({"i": i, "y": y, "m": m, "k": k, "t": t, "label": f"{mnames[m - 1]} {y}"})
    peak = max(max(totals), 1)
    scale = plot_h / peak
    base_y = PAD_T + plot_h
    for b in bars:
        w = min(max(bw * 0.76, 1.0), 28.0)
        x = PAD_L + b["i"] * bw + (bw - w) / 2
        b["x"], b["w"] = round(x, 2), round(w, 2)
        hk, ht = b["k"] * scale, b["t"] * scale
        b["yk"], b["hk"] = round(base_y - hk, 2), round(hk, 2)
        b["yt"], b["ht"] = round(base_y - hk - ht, 2), round(ht, 2)
    shades, lines = [], []
    for p in periods:
        if p.end < lo or p.start > hi:
            continue
        x0 = PAD_L + _month_index(max(p.start, lo), first) * bw
        x1 = PAD_L + (_month_index(min(p.end, hi), first) + 1 / 30) * bw
        if p.kind == "pemungutan":
            lines.append({"x": round(x0, 2), "label": p.label})
        elif p.kind == "kampanye":
            shades.append({"x": round(x0, 2), "w": round(max(x1 - x0, 2), 2), "label": p.label,
                           "election": p.election})
    # period labels: two rows so neighbouring elections do not overprint each other
    ends = [-1e9, -1e9]
    for sh in sorted(shades, key=lambda x: x["x"]):
        width = 6.0 * len(sh["election"])
        lx = min(sh["x"] + 3, W - PAD_R - width)
        row = 0 if lx > ends[0] + 6 else (1 if lx > ends[1] + 6 else 0)
        ends[row] = lx + width
        sh["lx"], sh["ly"] = round(lx, 2), PAD_T - 6 - 13 * row
    years = []
    for b in bars:
        if b["m"] == 1 or b["i"] == 0:
            years.append({"x": round(PAD_L + b["i"] * bw, 2), "label": str(b["y"])})
    ticks = sorted({0, peak // 2, peak}) if peak > 1 else [0, 1]
    yticks = [{"y": round(base_y - t * scale, 2), "label": str(t)} for t in ticks]
    return {
        "empty": False, "width": W, "height": H, "bars": bars, "shades": shades,
        "lines": lines, "years": years, "yticks": yticks, "pad_l": PAD_L, "pad_t": PAD_T,
        "base_y": base_y, "plot_w": plot_w, "plot_h": plot_h, "right": W - PAD_R,
    }


# ---------------------------------------------------------------------------- highlighting


def highlight(text: str, reasons: list[dict], window: int = 600) -> list[dict[str, Any]]:
    """Split ``text`` into plain and highlighted segments from the reasons' spans."""
    spans = sorted(
        (max(0, int(r.get("start", 0))), min(len(text), int(r.get("end", 0))),
         r.get("category", ""))
        for r in reasons
        if isinstance(r, dict) and r.get("end") is not None and int(r.get("end", 0)) > int(
            r.get("start", 0))
    )
    merged: list[list] = []
    for a, b, cat in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b, cat])
    lo, hi = 0, len(text)
    if len(text) > 2 * window and merged:  # long texts: a window around the cues
        lo, hi = max(0, merged[0][0] - window // 2), min(len(text), merged[-1][1] + window // 2)
    elif len(text) > 2 * window:
        hi = 2 * window
    segs: list[dict[str, Any]] = []
    if lo > 0:
        segs.append({"t": "…", "hl": False})
    pos = lo
    for a, b, cat in merged:
        if b <= lo or a >= hi:
            continue
        a, b = max(a, lo), min(b, hi)
        if a > pos:
            segs.append({"t": text[pos:a], "hl": False})
        segs.append({"t": text[a:b], "hl": True, "cat": cat})
        pos = b
    if pos < hi:
        segs.append({"t": text[pos:hi], "hl": False})
    if hi < len(text):
        segs.append({"t": "…", "hl": False})
    return segs


# ---------------------------------------------------------------------------- views


def _fmt_date(dt: datetime | None, s: dict[str, str]) -> str:
    """Shown in Western Indonesia Time (WIB), as most users read their own activity."""
    if dt is None:
        return s["no_date"]
    d = dt.astimezone(WIB)
    mnames = s["months"].split()
    return f"{d.day} {mnames[d.month - 1]} {d.year}, {d:%H:%M} WIB"


def _finding_view(f: Finding, s: dict[str, str], lang: str = "id") -> dict[str, Any]:
    res = f.result or {}
    reasons = res.get("reasons") or []
    return {
        "verdict": f.verdict,
        "verdict_label": s.get(f"verdict_{f.verdict}", f.verdict),
        "score": f"{f.score:.2f}",
        "platform": _platform_label(f.item.platform),
        "kind": s.get(f"kind_{f.item.kind}", f.item.kind),
        "date": _fmt_date(f.item.created_at, s),
        "iso": f.item.created_at.isoformat() if f.item.created_at else "",
        "target": f.item.target,
        "segments": highlight(f.checked_text, reasons),
        "reasons": [
            {
                "category": r.get("category", ""),
                "text": r.get("text", ""),
                "rule": r.get("rule", ""),
                "rule_ref": r.get("rule_ref", ""),
                "advice": r.get("advice", ""),
                "uncertain": bool(r.get("uncertain")),
                "target": r.get("target"),
            }
            for r in reasons
        ],
        "targets": [t.get("label") for t in res.get("targets") or [] if t.get("label")],
        "summary": res.get("summary", ""),
        "advice": res.get("advice", ""),
        "file": f.item.locator.file,
        "where": f.item.locator.where,
        "link": f.item.locator.link if _safe_link(f.item.locator.link) else None,
        "media": f.item.media[:5],
        "image": f.image,
        "image_words": _image_words(reasons),
        "gestures": _gesture_names(res, lang) if f.image else [],
    }


def _gesture_names(res: dict[str, Any], lang: str) -> list[str]:
    try:
        from netral.images.messages import gesture_name
    except ImportError:  # pragma: no cover - the module ships with netral
        def gesture_name(key: str, lang: str = "id") -> str:
            return key
    return [gesture_name(str(g.get("name")), lang) for g in res.get("gestures") or []
            if isinstance(g, dict) and g.get("name")]


def _image_words(reasons: list[dict]) -> list[str]:
    """Words recognised in the picture that the flagged reasons cover (in order, unique)."""
    out: list[str] = []
    for r in reasons:
        if not isinstance(r, dict) or r.get("where") != "image":
            continue
        for b in r.get("boxes") or []:
            t = b.get("text") if isinstance(b, dict) else None
            if t and t not in out:
                out.append(t)
    return out


def _platform_label(platform: str) -> str:
    from netral.sources.registry import PARSERS

    for cls in PARSERS:
        if cls.platform == platform:
            return cls.label
    return platform


def _safe_link(link: str | None) -> bool:
    return bool(link) and link.startswith(("https://", "http://"))


def _place_view(i: int, f: Finding, top: Finding, s: dict[str, str]) -> dict[str, Any]:
    """One place a card's text occurs: platform, act, date and where to find it."""
    return {
        "i": i,
        "platform_key": platform_key(f.item.platform),
        "platform": _platform_label(f.item.platform),
        "kind": s.get(f"kind_{f.item.kind}", f.item.kind),
        "date": _fmt_date(f.item.created_at, s),
        "iso": f.item.created_at.isoformat() if f.item.created_at else "",
        # shown only where it differs from the card's (strongest) verdict
        "verdict": f.verdict if f.verdict != top.verdict else "",
        "verdict_label": s.get(f"verdict_{f.verdict}", f.verdict),
        "target": f.item.target if f.item.target and f.item.kind in ("message", "join") else "",
        "file": f.item.locator.file,
        "where": f.item.locator.where,
        "link": f.item.locator.link if _safe_link(f.item.locator.link) else None,
        "media": f.item.media[:5],
        "image": f.image,
    }


def _card_view(card: Card, s: dict[str, str], lang: str) -> dict[str, Any]:
    from netral.rules import category_label

    top = card.top
    res = top.result or {}
    reasons = reasons_of(card)
    places = [_place_view(i, f, top, s) for i, f in enumerate(card.findings)]
    return {
        "action": card.action,
        "action_label": s[f"act_{card.action}"],
        "verdict": top.verdict,
        "verdict_label": s.get(f"verdict_{top.verdict}", top.verdict),
        "verdicts": " ".join(sorted({f.verdict for f in card.findings})),
        "score": f"{top.score:.2f}",
        "n": len(card.findings),
        "platforms": " ".join(card.platforms),
        "targets": card.targets,
        "target_keys": "|".join(t.replace("|", "/") for t in card.target_keys),
        "segments": highlight(top.checked_text, reasons),
        "reasons": [
            {"text": r.get("text", ""), "category": category_label(str(r.get("category", "")), lang),
             "target": r.get("target")}
            for r in reasons
        ],
        "rules": [_rule_view(ref, unc) for ref, unc in rules_of(reasons)],
        "advice": advice_of(card),
        "places": places[:SHOWN_PLACES],
        "more_places": places[SHOWN_PLACES:],
        "image_words": _image_words(reasons) if top.image else [],
        "gestures": _gesture_names(res, lang) if top.image else [],
    }


def _rule_view(ref: str, uncertain: bool) -> dict[str, Any]:
    """A legal reference: its first citation always shown, the full list one click away
    (the same long citation on every card made each card a screen taller on a phone)."""
    first, _, rest = ref.partition("; ")
    return {"short": first, "full": ref, "more": bool(rest), "uncertain": uncertain}


def _groups(cards: list[Card], views: list[dict[str, Any]], s: dict[str, str]) -> list[dict]:
    """The server-rendered grouping (by what to do); the script regroups by target/platform."""
    out = []
    for act in ACTIONS:
        members = [v for c, v in zip(cards, views, strict=True) if c.action == act]
        if members:
            out.append({"key": act, "id": f"g-action-{act}", "label": s[f"act_{act}"],
                        "intro": s[f"intro_{act}"], "cards": members,
                        "findings": sum(v["n"] for v in members)})
    return out


def _facets(cards: list[Card], s: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Filter options with their number of findings, largest first."""
    acts = count_by(cards, lambda c: [c.action])
    # a card on several platforms counts each finding under its own platform (as the page does)
    plats = Counter(platform_key(f.item.platform) for c in cards for f in c.findings)
    label_of = {platform_key(f.item.platform): _platform_label(f.item.platform)
                for c in cards for f in c.findings}
    targets = count_by(cards, lambda c: c.target_keys)
    verdicts: Counter[str] = Counter(f.verdict for c in cards for f in c.findings)
    return {
        "action": [{"key": a, "label": s[f"act_{a}"], "n": acts[a]} for a in ACTIONS if acts[a]],
        "platform": [{"key": p, "label": label_of[p], "n": n} for p, n in plats.most_common()],
        "target": [{"key": t.replace("|", "/"), "label": s["no_target"] if t == NO_TARGET else t,
                    "n": n} for t, n in targets.most_common()],
        "verdict": [{"key": v, "label": s.get(f"verdict_{v}", v), "n": verdicts[v]}
                    for v in ("kampanye", "tinjau") if verdicts[v]],
    }


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return resources.files("netral.report").joinpath("assets", name).read_text("utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("netral.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: AuditReport, lang: str | None = None, packs=None) -> str:
    lang = lang or report.lang
    s = strings(lang)
    periods = campaign_periods(lang, packs)
    shown = report.findings[:HTML_FINDINGS_CAP]
    items = report.items[:HTML_ITEMS_CAP] if report.include_all else []
    kinds = report.by_kind()
    cards = build_cards(shown)
    views = [_card_view(c, s, lang) for c in cards]
    css, js = _asset("report.css"), _asset("report.js")
    ctx = {
        "s": Strings(s),
        "lang": lang,
        "r": report,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "groups": _groups(cards, views, s),
        "facets": _facets(cards, s),
        "n_cards": len(cards),
        "n_shown": len(shown),
        "css": Markup(css),
        "js": Markup(js),
        # our own text and base64 digests (no quote or bracket to escape)
        "csp": Markup(f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
                "img-src data:; base-uri 'none'; form-action 'none'"),
        "hidden_findings": max(0, len(report.findings) - len(shown)),
        "items": [_finding_view(f, s, lang) for f in items],
        "hidden_items": max(0, len(report.items) - len(items)) if report.include_all else 0,
        "by_platform": sorted(
            ((_platform_label(p), c) for p, c in report.by_platform().items()),
            key=lambda kv: -kv[1]["scanned"],
        ),
        "by_kind": [(s.get(f"kind_{k}", k), v) for k, v in sorted(
            kinds.items(), key=lambda kv: -kv[1]["scanned"])],
        "by_target": report.by_target()[:30],
        "chart": timeline(report.findings, periods, lang),
        "skipped": [_problem_view(p, lang) for p in report.skipped],
        "notices": [_problem_view(p, lang) for p in report.notices],
        "ignored": report.ignored_files[:200],
        "hidden_ignored": max(0, len(report.ignored_files) - 200),
        "any_uncertain": any(
            r.get("uncertain") for f in shown for r in (f.result or {}).get("reasons") or []),
        "disclaimer": report.disclaimer or s["disclaimer_default"],
    }
    return _env().get_template("audit_report.html.j2").render(**ctx)


def _problem_view(p, lang: str) -> dict[str, Any]:
    return {"file": p.file, "position": p.position or "", "message": problem_message(p, lang),
            "code": p.code}


def report_dict(
    report: AuditReport, lang: str | None = None, packs=None, with_findings: bool = True
) -> dict[str, Any]:
    lang = lang or report.lang
    doc = {
        "tool": "netral",
        "version": __version__,
        "detector_version": report.detector_version,
        "generated_at": datetime.now(UTC).isoformat(),
        "lang": lang,
        "inputs": report.inputs,
        "summary": {
            "scanned": report.scanned,
            "judged": report.judged,
            "flagged": report.flagged,
            "files_read": report.files_read,
            "skipped_files": len(report.skipped),
            "images": {
                "checked": report.images_checked,
                "flagged": report.images_flagged,
                "not_checked": report.images_not_checked,
                "missing": report.images_missing,
                "skipped_reason": report.images_skipped_reason,
            },
            "by_platform": report.by_platform(),
            "by_kind": report.by_kind(),
            "by_target": dict(report.by_target()),
            "duration_s": round(report.duration_s, 3),
        },
        "sources": [
            {"container": x.container, "platform": x.platform, "version": x.version,
             "files": x.files, "items": x.items}
            for x in report.sources
        ],
        "skipped": [_problem_view(p, lang) for p in report.skipped],
        "notices": [_problem_view(p, lang) for p in report.notices],
        "periods": [
            {"label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(),
             "kind": p.kind}
            for p in campaign_periods(lang, packs)
        ],
        "disclaimer": report.disclaimer or strings(lang)["disclaimer_default"],
    }
    if with_findings:
        doc["findings"] = [f.to_dict() for f in report.findings]
        if report.include_all:
            doc["items"] = [f.to_dict() for f in report.items]
    return doc


def render_json(report: AuditReport, lang: str | None = None, packs=None) -> str:
    out = io.StringIO()
    write_report(report, out, "json", lang, packs)
    return out.getvalue()


CSV_FIELDS = ["verdict", "score", "platform", "kind", "created_at", "target", "targets",
              "categories", "rules", "text", "file", "where", "link", "advice", "image"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell that spreadsheets will not run as a formula (OWASP CSV injection)."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _csv_row(f: Finding) -> list[str]:
    res = f.result or {}
    reasons = res.get("reasons") or []
    return [
        csv_cell(v)
        for v in (
            f.verdict,
            f"{f.score:.4f}",
            f.item.platform,
            f.item.kind,
            f.item.created_at.isoformat() if f.item.created_at else "",
            f.item.target or "",
            "; ".join(t.get("label", "") for t in res.get("targets") or []),
            "; ".join(sorted({r.get("category", "") for r in reasons})),
            "; ".join(sorted({r.get("rule", "") for r in reasons})),
            f.checked_text,
            f.item.locator.file,
            f.item.locator.where or "",
            f.item.locator.link or "",
            res.get("advice", ""),
            f.image or "",
        )
    ]


def render_csv(report: AuditReport, lang: str | None = None) -> str:
    out = io.StringIO()
    write_report(report, out, "csv", lang)
    return out.getvalue()


def write_report(report: AuditReport, fp, fmt: str = "html", lang: str | None = None,
                 packs=None) -> None:
    """Write the report to a text stream; JSON and CSV are streamed finding by finding, so a
    huge audit never needs its whole report in memory at once."""
    if fmt == "csv":
        w = csv.writer(fp, lineterminator="\n")
        w.writerow(CSV_FIELDS)
        for f in report.items if report.include_all else report.findings:
            w.writerow(_csv_row(f))
        return
    if fmt != "json":
        fp.write(render_html(report, lang, packs))
        return
    head = report_dict(report, lang, packs, with_findings=False)
    big = ["findings", *(["items"] if report.include_all else [])]
    body = orjson.dumps(head, option=orjson.OPT_INDENT_2).decode()
    fp.write(body[: body.rfind("}")].rstrip())
    for key in big:
        rows = report.findings if key == "findings" else report.items
        fp.write(f',\n  "{key}": [')
        for i, f in enumerate(rows):
            fp.write(("," if i else "") + "\n    " + orjson.dumps(f.to_dict()).decode())
        fp.write("\n  ]")
    fp.write("\n}\n")


def render(report: AuditReport, fmt: str = "html", lang: str | None = None, packs=None) -> str:
    if fmt == "json":
        return render_json(report, lang, packs)
    if fmt == "csv":
        return render_csv(report, lang)
    return render_html(report, lang, packs)
