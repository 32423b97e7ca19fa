"""`netral course`: export, validate and import the quiz item bank (JSONL), so an agency can
add its own items (served when ``NETRAL_COURSE_ITEMS`` names their file)."""

from __future__ import annotations

from pathlib import Path

import typer

from netral.cli._common import console, fail
from netral.config import get_settings
from netral.config.messages import normalise_lang
from netral.course.text import tc


def _lang() -> str:
    return normalise_lang(get_settings().lang)


def register(app: typer.Typer) -> None:
    lang = _lang()
    course_app = typer.Typer(help=tc("cli.help", lang), no_args_is_help=True)
    app.add_typer(course_app, name="course")

    @course_app.command("export", help=tc("cli.export_help", lang))
    def export_cmd(out: Path = typer.Option(Path("course-items.jsonl"), "--out", "-o"),
                   shipped_only: bool = typer.Option(False, "--shipped-only")) -> None:
        from netral.course import bank

        try:
            items = list(bank.shipped() if shipped_only else bank.bank())
        except bank.BankError as exc:
            fail(str(exc))
        out.write_text(bank.write_jsonl(items), encoding="utf-8")
        console.print(tc("cli.exported", lang, n=len(items), path=out))

    @course_app.command("validate", help=tc("cli.validate_help", lang))
    def validate_cmd(path: Path) -> None:
        from netral.course import bank

        try:
            items = bank.read_jsonl(path)
        except bank.BankError as exc:
            fail(str(exc))
        console.print(tc("cli.valid", lang, n=len(items), path=path))

    @course_app.command("import", help=tc("cli.import_help", lang))
    def import_cmd(path: Path) -> None:
        from netral.config import get_settings
        from netral.course import bank

        target_path = get_settings().course_items
        if target_path is None:
            fail(tc("cli.no_target", lang))
        try:
            new = bank.read_jsonl(path)
            old = bank.read_jsonl(target_path) if target_path.exists() else []
            shipped = {i.id for i in bank.shipped()}
        except bank.BankError as exc:
            fail(str(exc))
        known = shipped | {i.id for i in old}
        for item in new:
            if item.id in known:
                fail(tc("cli.duplicate", lang, path=path, id=item.id))
            known.add(item.id)
        # written whole to a temporary file, then moved: an interrupted import loses nothing
        tmp = target_path.with_suffix(target_path.suffix + ".tmp")
        tmp.write_text(bank.write_jsonl([*old, *new]), encoding="utf-8")
        tmp.replace(target_path)
        console.print(tc("cli.imported", lang, n=len(new), path=target_path,
                         total=len(old) + len(new)))
