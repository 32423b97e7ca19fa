"""The certificate of completion (PDF, reportlab from the web extra) with its verification
code; anyone can check the code at ``/kursus/verifikasi/<code>``."""

from __future__ import annotations

import io

from netral.course.models import CourseCompletion
from netral.course.text import tc


def _fonts() -> tuple[str, str]:
    """Bitstream Vera (ships with reportlab) covers Indonesian names; Helvetica otherwise."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        if "Vera" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
            pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
    except Exception:  # pragma: no cover - reportlab always ships Vera
        return "Helvetica", "Helvetica-Bold"
    return "Vera", "VeraBd"


def certificate_pdf(c: CourseCompletion, lang: str, verify_url: str) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    font, bold = _fonts()
    buf = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buf, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(tc("cert.title", lang))
    pdf.setLineWidth(3)
    pdf.rect(30, 30, width - 60, height - 60)
    pdf.setFont(bold, 28)
    pdf.drawCentredString(width / 2, height - 120, tc("cert.title", lang))
    pdf.setFont(font, 14)
    pdf.drawCentredString(width / 2, height - 160, tc("cert.course", lang))
    pdf.setFont(bold, 22)
    pdf.drawCentredString(width / 2, height - 230, c.staff.name)
    pdf.setFont(font, 13)
    pdf.drawCentredString(width / 2, height - 255, f"NIP {c.staff.nip}")
    pdf.drawCentredString(width / 2, height - 300, tc(
        "cert.body", lang, date=c.completed_at.date().isoformat(), score=str(c.score)))
    pdf.setFont(bold, 14)
    pdf.drawCentredString(width / 2, 130, tc("cert.code", lang, code=c.certificate))
    pdf.setFont(font, 11)
    pdf.drawCentredString(width / 2, 110, verify_url)
    pdf.drawCentredString(width / 2, 70, tc("cert.note", lang))
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
