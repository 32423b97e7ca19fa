"""`netral check-image FILE`: judge a picture (text in it, hand gestures, attributes)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from netral.cli._common import EXIT_FLAGGED, EXIT_OK, check_lang, console, fail, styled

LABELS = {
    "id": {"words": "Kata terbaca (OCR)", "word": "Kata", "box": "Kotak (x, y, l×t)",
           "conf": "Yakin", "gestures": "Gestur tangan", "gesture": "Gestur",
           "fingers": "Jari", "method": "Metode", "attrs": "Atribut", "label": "Atribut",
           "notes": "Catatan", "context": "Konteks pemilu", "where": "Di",
           "detector": "Detektor gestur",
           "landmark": "model landmark tangan (MediaPipe, terpasang di paket)",
           "classical": "detektor klasik cadangan (model tidak dapat dimuat)"},
    "en": {"words": "Words read (OCR)", "word": "Word", "box": "Box (x, y, w×h)",
           "conf": "Conf.", "gestures": "Hand gestures", "gesture": "Gesture",
           "fingers": "Fingers", "method": "Method", "attrs": "Attributes", "label": "Attribute",
           "notes": "Notes", "context": "Election context", "where": "Where",
           "detector": "Gesture detector",
           "landmark": "hand-landmark model (MediaPipe, shipped in the package)",
           "classical": "classical fallback detector (the model could not be loaded)"},
}


def _box(b) -> str:
    x, y, w, h = b
    return f"{x}, {y}, {w}×{h}"


def render_image_result(result) -> None:
    """Rich view of an ImageResult: the verdict panel of `netral check`, then the words with
    their boxes (flagged ones in red), gestures and attributes."""
    from netral.cli.check import render
    from netral.images.messages import gesture_name

    lab = LABELS[result.lang]
    render(result, result.source_text or "—")
    flagged = set()
    for r in result.reasons:
        for b in getattr(r, "boxes", []) or []:
            flagged.add((b["text"], tuple(b["box"])))
    if result.ocr_words:
        t = Table(title=lab["words"], expand=False)
        for col in (lab["word"], lab["box"], lab["conf"]):
            t.add_column(col)
        for w in result.ocr_words:
            hit = (w["text"], tuple(w["box"])) in flagged
            t.add_row(styled((w["text"], "bold red")) if hit else w["text"], _box(w["box"]),
                      f"{w['conf']:.0f}")
        console.print(t)
    if result.gestures:
        t = Table(title=lab["gestures"], expand=False)
        for col in (lab["gesture"], lab["fingers"], lab["box"], lab["conf"], lab["method"]):
            t.add_column(col)
        for g in result.gestures:
            t.add_row(gesture_name(g["name"], result.lang), str(g["fingers"]), _box(g["box"]),
                      f"{g['confidence']:.2f}", g["method"])
        console.print(t)
    if result.gesture_method:
        console.print(f"[bold]{lab['detector']}:[/] "
                      f"{lab.get(result.gesture_method, result.gesture_method)}")
    if result.attributes:
        t = Table(title=lab["attrs"], expand=False)
        for col in (lab["label"], lab["box"], lab["conf"], lab["method"]):
            t.add_column(col)
        for a in result.attributes:
            t.add_row(a["label"], _box(a["box"]), f"{a['similarity']:.2f}", a["method"])
        console.print(t)
    if result.context:
        console.print(styled((f"{lab['context']}:", "bold"), " " + "; ".join(result.context)))
    for n in result.notes:
        console.print(styled((f"{lab['notes']}:", "yellow"), f" {n}"))


def register(app: typer.Typer) -> None:
    @app.command("check-image")
    def check_image_cmd(
        file: Path = typer.Argument(..., help="Berkas gambar (PNG, JPEG, WebP, GIF, ...)."),
        caption: str = typer.Option(None, "--caption", "-c", help="Keterangan (caption) unggahan."),
        kind: str = typer.Option("post", "--kind", "-k",
                                 help="post|comment|share|like|follow|join|bio|message"),
        when: str = typer.Option(None, "--date", help="Tanggal unggahan (YYYY-MM-DD)."),
        pack: str = typer.Option(None, "--pack", help="Paket pengetahuan (default: semua)."),
        lang: str = typer.Option("id", "--lang", callback=check_lang, help="id|en"),
        as_json: bool = typer.Option(False, "--json", help="Cetak hasil sebagai JSON."),
    ) -> None:
        """Periksa gambar: teks di dalamnya, gestur jari, atribut kampanye / check a picture."""
        from netral.cli.check import require_image_support

        require_image_support()
        from netral.images import ImageError, check_image

        try:
            result = check_image(file, caption=caption, kind=kind, when=when, lang=lang,
                                 pack=pack)
        except ImageError as exc:
            fail(exc.message)
        except ValueError as exc:
            fail(f"{file}: {exc}")
        if as_json:
            print(result.to_json(indent=True))
        else:
            render_image_result(result)
        raise typer.Exit(EXIT_FLAGGED if result.flagged else EXIT_OK)
