"""Agency reports for a period: CSV (formula-safe) and PDF (reportlab, with charts)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netral.review.authz import NotFound, Principal, agency_of, scope_findings
from netral.review.changes import log_action
from netral.review.dashboard import dashboard, parse_day
from netral.review.zones import local
from netral.store.models import Agency, Finding, Staff
from netral.web.csvsafe import to_csv
from netral.web.i18n import translate

CSV_HEADER = (
    "finding_id", "status", "risk_score", "sampled_as_netral", "act_date", "platform", "kind",
    "handle", "nip", "name", "unit", "targets", "rules", "text", "reviewer", "reason", "url",
)


def csv_header(lang: str) -> list[str]:
    """The column names in the reader's language (``csv.<column>`` in the catalogue)."""
    return [translate(f"csv.{c}", lang) for c in CSV_HEADER]


def csv_row(row: list[Any], lang: str) -> list[Any]:
    """A :func:`findings_rows` row as the CSV shows it: status, kind and the sample flag in
    words of the reader's language."""
    out = list(row)
    out[1] = translate(f"status.{row[1]}", lang)
    out[3] = translate("csv.yes" if row[3] else "csv.no", lang)
    out[6] = translate(f"kind.{row[6]}", lang)
    return out


def _period(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    return parse_day(start), parse_day(end)


def findings_rows(db: Session, p: Principal, agency: int | None, start: date | None,
                  end: date | None) -> list[list[Any]]:
    p.require("read")
    stmt = scope_findings(
        select(Finding).options(
            selectinload(Finding.item), selectinload(Finding.detection),
            selectinload(Finding.staff).selectinload(Staff.unit),
            selectinload(Finding.reviewer),
        ),
        p,
    )
    if agency is not None:
        stmt = stmt.where(Finding.agency_id == agency)
    rows = []
    for f in db.scalars(stmt.order_by(Finding.id)):
        item = f.item
        when = local(item.created_at or f.created_at, p.zone).date()  # the agency's day
        if (start and when < start) or (end and when > end):
            continue
        result = f.detection.result if f.detection else {}
        targets = sorted({t.get("label", "") for t in result.get("targets", []) or []} - {""})
        rules = sorted({r.get("rule", "") for r in result.get("reasons", []) or []} - {""})
        rows.append([
            f.id, f.status, round(f.risk_score or 0.0, 4), int(bool(f.sampled_as_netral)),
            when.isoformat(), item.platform, item.kind, item.handle,
            f.staff.nip if f.staff else "", f.staff.name if f.staff else "",
            f.staff.unit.path if f.staff and f.staff.unit else "",
            "; ".join(targets), "; ".join(rules), item.text,
            f.reviewer.username if f.reviewer else "", f.reason or "", item.url or "",
        ])
    return rows


def _filename(agency_code: str, start: date | None, end: date | None, ext: str) -> str:
    span = f"{start or 'awal'}_{end or 'akhir'}"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in agency_code)
    return f"netral-{safe}-{span}.{ext}"


def _agency(db: Session, p: Principal, agency_id: int | None) -> Agency:
    agency = agency_of(p, agency_id)
    if agency is None:
        raise NotFound("agency")
    row = db.get(Agency, agency)
    if row is None:
        raise NotFound("agency")
    return row


def csv_response(db: Session, p: Principal, lang: str, agency_id: int | None,
                 start: str | None, end: str | None) -> Response:
    agency = _agency(db, p, agency_id)
    s, e = _period(start, end)
    rows = findings_rows(db, p, agency.id, s, e)
    log_action(db, p, "report.csv", None, agency.id, start=start, end=end, rows=len(rows))
    # BOM: spreadsheet programs read UTF-8
    body = "\ufeff" + to_csv(csv_header(lang), [csv_row(r, lang) for r in rows])
    return Response(
        body.encode("utf-8"), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition":
                 f'attachment; filename="{_filename(agency.code, s, e, "csv")}"'},
    )


# --------------------------------------------------------------------------- PDF

_FONTS_READY = False


def _fonts() -> tuple[str, str]:
    global _FONTS_READY
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not _FONTS_READY:
        try:
            pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
            pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
            _FONTS_READY = True
        except Exception:  # pragma: no cover - reportlab always ships Vera
            return "Helvetica", "Helvetica-Bold"
    return "Vera", "VeraBd"


def _bar_drawing(items: list[tuple[str, int]], font: str, width: float = 440):
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    items = sorted(items, key=lambda kv: (-kv[1], kv[0]))[:10]
    bh, gap, label_w = 12, 5, 150
    d = Drawing(width, max(len(items), 1) * (bh + gap) + 6)
    top = max((v for _, v in items), default=1) or 1
    palette = ["#1f6f8b", "#e07a1f", "#3a9d5d", "#b23a48", "#6c5b7b"]
    for i, (label, value) in enumerate(items):
        y = d.height - (i + 1) * (bh + gap)
        short = label if len(label) <= 30 else label[:29] + "…"
        d.add(String(label_w - 4, y + 3, short, fontName=font, fontSize=8, textAnchor="end"))
        w = (width - label_w - 40) * value / top
        d.add(Rect(label_w, y, max(w, 1), bh, fillColor=colors.HexColor(palette[i % 5]),
                   strokeColor=None))
        d.add(String(label_w + w + 4, y + 3, str(value), fontName=font, fontSize=8))
    return d


def _time_drawing(points: list[tuple[date, int]], periods, font: str, width: float = 440,
                  height: float = 150):
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib import colors

    d = Drawing(width, height)
    if not points:
        d.add(String(width / 2, height / 2, "—", fontName=font, fontSize=10, textAnchor="middle"))
        return d
    pad_l, pad_b, pad_t = 30, 20, 16
    iw, ih = width - pad_l - 10, height - pad_b - pad_t
    d0, d1 = points[0][0], points[-1][0]
    span = max((d1 - d0).days, 1)
    top = max(c for _, c in points) or 1

    def x(dd: date) -> float:
        return pad_l + iw * (dd - d0).days / span

    def y(v: float) -> float:
        return pad_b + ih * v / top

    for s, e, label in periods:
        if e < d0 or s > d1:
            continue
        s, e = max(s, d0), min(e, d1)
        d.add(Rect(x(s), pad_b, max(x(e) - x(s), 1.5), ih, fillColor=colors.HexColor("#f4d6a0"),
                   strokeColor=None))
        d.add(String(x(s) + 1, height - 10, label[:40], fontName=font, fontSize=6,
                     fillColor=colors.HexColor("#8a5a00")))
    d.add(Line(pad_l, pad_b, width - 10, pad_b, strokeColor=colors.grey))
    d.add(String(pad_l - 3, y(top) - 3, str(top), fontName=font, fontSize=7, textAnchor="end"))
    d.add(String(pad_l - 3, pad_b - 3, "0", fontName=font, fontSize=7, textAnchor="end"))
    flat = [v for dd, c in points for v in (x(dd), y(c))]
    d.add(PolyLine(flat, strokeColor=colors.HexColor("#1f6f8b"), strokeWidth=1.5))
    for dd, c in points:
        d.add(Circle(x(dd), y(c), 1.8, fillColor=colors.HexColor("#1f6f8b"), strokeColor=None))
    d.add(String(pad_l, 4, d0.isoformat(), fontName=font, fontSize=7))
    d.add(String(width - 10, 4, d1.isoformat(), fontName=font, fontSize=7, textAnchor="end"))
    return d


def report_pdf(db: Session, p: Principal, lang: str, agency: Agency, start: date | None,
               end: date | None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, bold = _fonts()

    def t(key: str, **kw: Any) -> str:
        return translate(key, lang, **kw)

    st_title = ParagraphStyle("t", fontName=bold, fontSize=16, leading=20, spaceAfter=6)
    st_h = ParagraphStyle("h", fontName=bold, fontSize=11, leading=14, spaceBefore=8,
                          spaceAfter=4)
    st_p = ParagraphStyle("p", fontName=font, fontSize=9, leading=12)
    st_small = ParagraphStyle("s", fontName=font, fontSize=7, leading=9)

    data = dashboard(db, p, agency_id=agency.id, start=start, end=end)
    rows = findings_rows(db, p, agency.id, start, end)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm,
                            title=f"netral — {agency.name}", author="netral")
    period = f"{start or '…'} — {end or '…'}"
    story: list[Any] = [
        Paragraph(xml_escape(t("report.title")), st_title),
        Paragraph(xml_escape(f"{agency.name} ({agency.code})"), st_p),
        Paragraph(xml_escape(f"{t('report.period')}: {period}"), st_p),
        Paragraph(xml_escape(t("report.total", n=data["total"], open=data["open_cases"],
                               overdue=data["overdue_cases"])), st_p),
        Paragraph(xml_escape(t("report.disclaimer")), st_small),
        Paragraph(xml_escape(t("dash.over_time")), st_h),
        _time_drawing([(date.fromisoformat(d), n) for d, n in data["over_time"]],
                      [(date.fromisoformat(x["start"]), date.fromisoformat(x["end"]), x["label"])
                       for x in data["campaign_periods"]], font),
    ]
    for key in ("by_status", "by_unit", "by_platform", "by_kind", "by_target"):
        story += [Paragraph(xml_escape(t(f"dash.{key}")), st_h),
                  _bar_drawing([(str(k), int(v)) for k, v in data[key]], font)]
    story += [Spacer(1, 6), Paragraph(xml_escape(t("report.findings")), st_h)]
    table = [[Paragraph(xml_escape(h), st_small) for h in
              ("#", t("col.status"), t("col.date"), t("col.platform"), t("col.staff"),
               t("col.text"))]]
    for r in rows[:200]:
        text = r[13] if len(r[13]) <= 280 else r[13][:279] + "…"
        table.append([Paragraph(xml_escape(str(c)), st_small) for c in
                      (r[0], t(f"status.{r[1]}"), r[4], r[5], f"{r[9]} {r[8]}".strip(), text)])
    tbl = Table(table, colWidths=[10 * mm, 20 * mm, 20 * mm, 18 * mm, 35 * mm, 75 * mm],
                repeatRows=1)
    tbl.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(tbl)
    if len(rows) > 200:
        story.append(Paragraph(xml_escape(t("report.truncated", n=len(rows))), st_small))
    doc.build(story)
    return buf.getvalue()


def pdf_response(db: Session, p: Principal, lang: str, agency_id: int | None,
                 start: str | None, end: str | None) -> Response:
    agency = _agency(db, p, agency_id)
    s, e = _period(start, end)
    pdf = report_pdf(db, p, lang, agency, s, e)
    log_action(db, p, "report.pdf", None, agency.id, start=start, end=end)
    return Response(
        pdf, media_type="application/pdf",
        headers={"Content-Disposition":
                 f'attachment; filename="{_filename(agency.code, s, e, "pdf")}"'},
    )
