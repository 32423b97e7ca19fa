"""`netral check`: judge one text (or image) and explain the verdict.

Its parameters are one table (``PARAMS``): ``register`` makes the typer command from it, and
``fast_main`` (called by ``netral.cli.main`` before typer is imported) parses the plain
command lines from the same table and runs the same ``run_check``. Anything else (``--help``,
a mistake, an unusual form) goes to typer, so help and usage errors have one source.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netral import rules
from netral.cli import _common
from netral.cli._common import (
    EXIT_FLAGGED,
    EXIT_OK,
    LANGS,
    MAX_CHECK_CHARS,
    VERDICT_STYLE,
    check_lang,
    fail,
    highlighted,
    read_boilerplate,
    read_text_arg,
    styled,
)
from netral.detect.detector import get_detector
from netral.detect.result import Result

if TYPE_CHECKING:
    import typer
    from rich.text import Text

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
    # rich is imported here, not with the module: `--json` does without it (netral.cli._common)
    from rich.panel import Panel
    from rich.table import Table

    console = _common.console
    lab = LABELS[result.lang]
    console.print(headline(result))
    # soft_wrap=False: the console soft-wraps lines by default, which crops a panel's text to one
    # line at the terminal's width; the whole post must show, highlighted words and all
    console.print(Panel(highlighted(result, original)), soft_wrap=False)
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


@dataclass(frozen=True)
class Param:
    """One parameter of `netral check`: the typer command is made from these (``register``)
    and so is the fast path's parse (``parse``), so the two cannot drift apart."""

    name: str
    flags: tuple[str, ...]  # () for the text argument
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] | None = None  # checked by a typer callback (--lang)


PARAMS: tuple[Param, ...] = (
    Param("text", (), str, None, "Teks yang diperiksa, atau '-' untuk stdin."),
    Param("file", ("--file", "-f"), Path, None, "Baca teks dari berkas."),
    Param("image", ("--image",), Path, None, "Periksa gambar (OCR, gestur, atribut)."),
    Param("kind", ("--kind", "-k"), str, "post", "post|comment|share|like|follow|join|bio|message"),
    Param("pack", ("--pack",), str, None, "Paket pengetahuan (default: semua)."),
    Param("lang", ("--lang",), str, "id", "id|en", choices=LANGS),
    Param("when", ("--date",), str, None, "Tanggal tindakan (YYYY-MM-DD)."),
    Param("account", ("--account",), str, "personal", "personal|official"),
    Param("employee", ("--employee",), str, "pns", "pns|pppk|pejabat|non_asn"),
    Param("boilerplate", ("--boilerplate",), Path, None,
          "Berkas frasa baku instansi (satu per baris) yang diabaikan."),
    Param("as_json", ("--json",), bool, False, "Cetak Result sebagai JSON."),
)
HELP = "Periksa satu teks sebelum diunggah / check one text before posting."


def register(app: typer.Typer) -> None:
    import inspect

    import typer

    params = []
    for p in PARAMS:
        info = (typer.Argument(p.default, help=p.help) if not p.flags else
                typer.Option(p.default, *p.flags, help=p.help,
                             callback=check_lang if p.choices == LANGS else None))
        params.append(inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        default=info, annotation=p.type))

    def check_cmd(**values: Any) -> None:
        raise typer.Exit(run_check(**values))

    check_cmd.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    check_cmd.__annotations__ = {p.name: p.type for p in PARAMS}
    check_cmd.__doc__ = HELP
    app.command("check")(check_cmd)


def parse(args: list[str]) -> dict[str, Any] | None:
    """The values typer would give ``check_cmd`` for ``netral check ARGS``, or None for
    anything but the plain forms (``--opt value``, ``--opt=value``, ``-k value``, ``--json``,
    one text): help, an unknown, repeated or glued option, ``--``, a missing value or one a
    callback would refuse. None sends the command line to typer, which answers it as always."""
    by_flag = {f: p for p in PARAMS for f in p.flags}
    values = {p.name: p.default for p in PARAMS}
    seen: set[str] = set()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("-") and arg != "-":
            flag, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
            p = by_flag.get(flag)
            if p is None or p.name in seen:
                return None
            seen.add(p.name)
            if p.type is bool:
                if eq:
                    return None
                values[p.name] = True
                continue
            if not eq:
                if i >= len(args) or (args[i].startswith("-") and args[i] != "-"):
                    return None
                value, i = args[i], i + 1
            if p.choices is not None and value not in p.choices:
                return None
            values[p.name] = p.type(value)
        elif "text" in seen:
            return None  # a second text: typer's usage error
        else:
            seen.add("text")
            values["text"] = arg
    return values


def fast_main(args: list[str]) -> int | None:
    """`netral check ARGS` without typer (~40 ms of a cold check, issue 15): the exit code, or
    None when ``parse`` leaves the command line to typer. Ends the way typer's main does on
    Ctrl-C, a closed stdin and a closed pipe."""
    values = parse(args)
    if values is None:
        return None
    try:
        return run_check(**values)
    except EOFError:
        print(file=sys.stderr)
        _common.err_console.print("Aborted!")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


def run_check(text: str | None, file: Path | None, image: Path | None, kind: str,
              pack: str | None, lang: str, when: str | None, account: str, employee: str,
              boilerplate: Path | None, as_json: bool) -> int:
    """`netral check`: judge, print, and return the exit code (1: flagged)."""
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
            _common.err_console.print(styled(
                ("peringatan:", "yellow"),
                f" teks {len(original):,} karakter; hanya {MAX_CHECK_CHARS:,} karakter "
                f"pertama yang diperiksa / only the first {MAX_CHECK_CHARS:,} characters "
                "are checked"))
            original = original[:MAX_CHECK_CHARS]
    if as_json:
        print(result.to_json(indent=True))
    else:
        render(result, result.judged_text or original)  # offsets index what was read
    return EXIT_FLAGGED if result.flagged else EXIT_OK


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
