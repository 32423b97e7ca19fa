"""Shared helpers for CLI commands: console, input reading, error exits.

The consoles do not read Rich markup: every text a user sees (their post, a file name, a rule
marked "[belum pasti]", an install hint like ``pip install 'netral[spark]'``) is printed as it
is, never taken for a style tag. Styles are given as ``Text``/``styled`` pieces instead.

Rich is imported when something is printed through it (``console``, ``err_console``,
``styled``, ``highlighted``), not with this module: `netral check --json` prints its JSON with
``print`` and never loads rich (~40-60 ms of a cold check, issue 15).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from netral.detect.result import Result, Verdict
from netral.kinds import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

MAX_CHECK_CHARS = MAX_TEXT_CHARS  # one limit for every door (netral.kinds)
EXIT_OK, EXIT_FLAGGED, EXIT_USAGE = 0, 1, 2
EXIT_DATABASE = 4  # database unreachable or busy: one line, no traceback (3: captures failed)
EXIT_INCOMPLETE = 4  # the run finished but some evidence captures failed
LANGS = ("id", "en")

VERDICT_STYLE = {
    Verdict.KAMPANYE: "bold white on red",
    Verdict.TINJAU: "bold black on yellow",
    Verdict.NETRAL: "bold white on green",
}


def _console(stderr: bool) -> Console:
    """``console`` / ``err_console``: made on first use, one each per process."""
    name = "err_console" if stderr else "console"
    made = globals().get(name)
    if made is None:
        from rich.console import Console

        made = globals()[name] = Console(stderr=stderr, soft_wrap=True, markup=False,
                                         highlight=False)
    return made


def styled(*parts: str | tuple[str, str]) -> Text:
    """One line from plain pieces and (text, style) pieces; nothing in them is markup."""
    from rich.text import Text

    return Text.assemble(*parts)


def err_line(message: str) -> None:
    """``netral: message`` on stderr, the message printed as it is."""
    _console(stderr=True).print(styled(("netral:", "bold red"), " ", message))


def exit_error(message: str, code: int = EXIT_USAGE) -> SystemExit:
    """``netral: message`` on stderr; the caller raises the returned exit (``raise … from
    None`` inside an ``except`` block). A SystemExit, not typer's Exit: typer lets it through
    with its code, and `netral check`'s fast path (netral.cli.check) runs without typer."""
    err_line(message)
    return SystemExit(code)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    raise exit_error(message, code)


def check_lang(value: str | None) -> str | None:
    """``--lang`` callback: only the languages netral speaks (None: the command's default)."""
    if value is not None and value not in LANGS:
        import typer

        raise typer.BadParameter(
            f"'{value}' tidak didukung; pilih id atau en / not supported; use id or en")
    return value


def __getattr__(name: str) -> Any:
    """``console`` and ``err_console`` (rich), and the options shared by the commands that
    work on the monitoring database (``DbOpt``, ``LangOpt``, ``JsonOpt``), made when a command
    module imports them: this module is imported by `netral check`'s fast path, which does not
    import typer, and prints JSON without rich."""
    if name in ("console", "err_console"):
        return _console(stderr=name == "err_console")
    if name not in ("DbOpt", "LangOpt", "JsonOpt"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Annotated

    import typer

    options = {
        "DbOpt": Annotated[str | None, typer.Option(
            "--db", help="Database URL (overrides NETRAL_DATABASE_URL).", show_default=False)],
        "LangOpt": Annotated[str | None,
                             typer.Option("--lang", callback=check_lang, help="id | en")],
        "JsonOpt": Annotated[bool, typer.Option("--json", help="Print the result as JSON.")],
    }
    value = globals()[name] = options[name]
    return value


def decode_input(data: bytes, origin: str) -> str:
    """Bytes from a file or stdin -> text; binary or non-UTF-8 input is a clear error."""
    if b"\x00" in data[:65536]:
        fail(f"{origin}: tampak seperti berkas biner, bukan teks / looks like a binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        fail(
            f"{origin}:{line}:{col}: bukan UTF-8 yang sah (byte 0x{data[exc.start]:02x}) / "
            "invalid UTF-8"
        )


def read_text_arg(text: str | None, file: Path | None) -> str:
    if file is not None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            fail(f"{file}: {exc.strerror}")
        return decode_input(data, str(file))
    if text is None or text == "-":
        if sys.stdin.isatty() and text is None:
            fail("berikan TEKS, '-' untuk stdin, atau --file / give TEXT, '-' or --file")
        return decode_input(sys.stdin.buffer.read(), "<stdin>")
    return text


def show_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: nothing to hide
        return url


def read_boilerplate(path: Path | None) -> tuple[str, ...]:
    """The agency's standard phrases (one per line) that are never evidence; every door that
    takes ``--boilerplate`` reads them here."""
    if path is None:
        return ()
    return tuple(ln.strip() for ln in read_text_arg(None, path).splitlines() if ln.strip())


BOILERPLATE_HELP = "Berkas frasa baku instansi (satu per baris) yang diabaikan."


def highlighted(result: Result, original: str) -> Text:
    from rich.text import Text

    out = Text(original)
    for r in result.reasons:
        if r.end > r.start:
            out.stylize("bold underline red", r.start, r.end)
    for m in result.mitigations:
        if m.end > m.start:
            out.stylize("italic green", m.start, m.end)
    return out
