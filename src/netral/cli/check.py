"""`netral check`: judge one text (or image) and explain the verdict."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from netral import rules
from netral.cli._common import (
    EXIT_FLAGGED,
    EXIT_OK,
    MAX_CHECK_CHARS,
    VERDICT_STYLE,
    check_lang,
    console,
    err_console,
    fail,
    highlighted,
    read_boilerplate,
    read_text_arg,
    styled,
)
from netral.detect.detector import get_detector
from netral.detect.result import Result

LABELS = {
    "id": {"score": "skor", "reasons": "Alasan", "cat": "Kategori", "text": "Teks",
           "target": "Sasaran", "rule": "Aturan", "advice": "Saran", "context": "Konteks peredam",
           "uncertain": "belum pasti"},
    "en": {"score": "score", "reasons": "Reasons", "cat": "Category", "text": "Text",
           "target": "Target", "rule": "Rule", "advice": "Advice", "context": "Mitigating context",
           "uncertain": "uncertain"},
}


def headline(result: Result) -> Text:
    """The verdict line: printed on its own, so a long summary wraps instead of being cut at
    the terminal's width (a panel title is truncated)."""
    lab = LABELS[result.lang]
    return styled((f" {result.verdict.upper()} ", VERDICT_STYLE[result.verdict]),
                  f" {lab['score']} {result.score:.2f}  {result.summary}")


def render(result: Result, original: str) -> None:
    lab = LABELS[result.lang]
    console.print(headline(result))
    console.print(Panel(highlighted(result, original)))
    if result.reasons:
        t = Table(title=lab["reasons"], show_lines=False, expand=True)
        for col in (lab["cat"], lab["text"], lab["target"], lab["rule"]):
            t.add_column(col, overflow="fold")
        cited: dict[str, str] = {}
        for r in result.reasons:
            rule = rules.rule(r.rule)
            cited[r.rule] = r.rule_ref
            t.add_row(rules.category_label(r.category, result.lang), r.text or "—",
                      r.target or "—", f"{r.rule}: {rule.title[result.lang]}")
        console.print(t)
        for rule_id, ref in cited.items():
            console.print(f"{rule_id}: {ref}", style="dim")
    if result.mitigations:
        ctx = "; ".join(f"{m.note}" + (f" («{m.text}»)" if m.text else "")
                        for m in result.mitigations)
        console.print(styled((f"{lab['context']}:", "green"), f" {ctx}"))
    console.print(styled((f"{lab['advice']}:", "bold"), f" {result.advice}"))
    console.print(result.disclaimer, style="dim")


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check_cmd(
        text: str = typer.Argument(None, help="Teks yang diperiksa, atau '-' untuk stdin."),
        file: Path = typer.Option(None, "--file", "-f", help="Baca teks dari berkas."),
        image: Path = typer.Option(None, "--image", help="Periksa gambar (OCR, gestur, atribut)."),
        kind: str = typer.Option("post", "--kind", "-k",
                                 help="post|comment|share|like|follow|join|bio|message"),
        pack: str = typer.Option(None, "--pack", help="Paket pengetahuan (default: semua)."),
        lang: str = typer.Option("id", "--lang", callback=check_lang, help="id|en"),
        when: str = typer.Option(None, "--date", help="Tanggal tindakan (YYYY-MM-DD)."),
        account: str = typer.Option("personal", "--account", help="personal|official"),
        employee: str = typer.Option("pns", "--employee", help="pns|pppk|pejabat|non_asn"),
        boilerplate: Path = typer.Option(
            None, "--boilerplate", help="Berkas frasa baku instansi (satu per baris) yang diabaikan."
        ),
        as_json: bool = typer.Option(False, "--json", help="Cetak Result sebagai JSON."),
    ) -> None:
        """Periksa satu teks sebelum diunggah / check one text before posting."""
        if account not in ("personal", "official"):
            fail(f"--account: '{account}' bukan personal|official")
        if employee not in ("pns", "pppk", "pejabat", "non_asn"):
            fail(f"--employee: '{employee}' bukan pns|pppk|pejabat|non_asn")
        phrases = read_boilerplate(boilerplate)
        if image is not None:
            result, original = _check_image(image, text, kind, when, lang)
        else:
            original = read_text_arg(text, file)
            if not original.strip():
                fail("teks kosong / empty input")
            try:
                result = get_detector(pack).check(original, kind=kind, lang=lang, when=when,
                                                  account=account, employee=employee,
                                                  boilerplate=phrases)
            except ValueError as exc:
                fail(str(exc))
            if result.truncated:  # the detector's one length rule (netral.kinds.MAX_TEXT_CHARS)
                err_console.print(styled(
                    ("peringatan:", "yellow"),
                    f" teks {len(original):,} karakter; hanya {MAX_CHECK_CHARS:,} karakter "
                    f"pertama yang diperiksa / only the first {MAX_CHECK_CHARS:,} characters "
                    "are checked"))
                original = original[:MAX_CHECK_CHARS]
        if as_json:
            print(result.to_json(indent=True))
        else:
            render(result, result.judged_text or original)  # offsets index what was read
        raise typer.Exit(EXIT_FLAGGED if result.flagged else EXIT_OK)


def _check_image(path: Path, caption: str | None, kind: str, when: str | None, lang: str):
    require_image_support()
    from netral.images import ImageError, check_image

    if not path.is_file():
        fail(f"{path}: berkas tidak ditemukan / file not found")
    try:
        result = check_image(path, caption=caption, kind=kind, when=when, lang=lang)
    except ImageError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"{path}: {exc}")
    return result, getattr(result, "source_text", None) or (caption or str(path))


def require_image_support() -> None:
    """One clear line instead of a traceback when the ``images`` extra is not installed."""
    from netral.images import missing_modules

    missing = missing_modules()
    if missing:
        fail(f"dukungan gambar belum terpasang (tidak ada: {', '.join(missing)}) / image "
             f"support is not installed: pip install 'netral[images]'")
