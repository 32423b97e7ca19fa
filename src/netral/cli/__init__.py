"""`netral` command line: thin commands over the core. Each command group lives in its own
module exposing ``register(app)``; ``COMMANDS`` says which module registers which command.

A command's module is imported only when that command runs (or for ``--help``): a cold
``netral check`` must not pay for the database, web, evidence or Spark code, and on a core
install (no ``web``/``images``/``spark`` extra) those modules' dependencies are not there.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # typer vendors click: no separate click at run time
    from typer.core import TyperCommand

# command name -> module under netral.cli that registers it (test_cli_commands checks the map)
COMMANDS: dict[str, str] = {
    "audit": "audit",
    "demo-export": "audit",
    "check": "check",
    "check-image": "images",
    "scan": "scan",
    "spark-scan": "spark",
    "eval": "evaluate",
    "pack": "pack",
    "course": "course",
    "evidence": "evidence",
    "db": "store",
    "roster": "store",
    "ingest": "store",
    "rescan": "store",
    "purge": "store",
    "demo-seed": "store",
    "user": "users",
    "token": "extension",
    "extension": "extension",
    "serve": "web",
}

# A missing import -> the extra that installs it (pip install 'netral[EXTRA]').
EXTRA_OF_MODULE = {
    "sqlalchemy": "web", "alembic": "web", "psycopg": "web", "fastapi": "web",
    "starlette": "web", "uvicorn": "web", "argon2": "web", "itsdangerous": "web",
    "multipart": "web", "python_multipart": "web", "reportlab": "web", "openpyxl": "web",
    "httpx": "web", "cryptography": "web", "rfc3161_client": "web", "asn1crypto": "web",
    "cv2": "images", "pytesseract": "images", "imagehash": "images", "PIL": "images",
    "pyspark": "spark", "pyarrow": "spark", "pandas": "spark",
    "sklearn": "train", "scipy": "train",
}


class LazyGroup(TyperGroup):
    """The top-level group: lists every command, imports a command's module on first use."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, TyperCommand | TyperGroup] = {}

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> TyperCommand | TyperGroup | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        if cmd_name not in self._loaded:
            sub = typer.Typer()
            importlib.import_module(f"netral.cli.{module}").register(sub)
            self._loaded.update(typer.main.get_group(sub).commands)
        return self._loaded.get(cmd_name)


app = typer.Typer(
    name="netral",
    cls=LazyGroup,
    help="netral — pemeriksa netralitas ASN di media sosial / ASN neutrality checker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from netral.version import __version__

        typer.echo(f"netral {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Cetak versi lalu keluar / print the version and exit."),
) -> None:
    """netral — pemeriksa netralitas ASN di media sosial / ASN neutrality checker."""


def missing_extra(exc: ModuleNotFoundError) -> str | None:
    """The extra that would install the module an import could not find (None: not ours)."""
    top = (exc.name or "").split(".")[0]
    return EXTRA_OF_MODULE.get(top)


def main() -> None:
    from netral.cli._common import EXIT_DATABASE, EXIT_USAGE, err_line

    try:
        app()
    except ModuleNotFoundError as exc:
        extra = missing_extra(exc)
        if extra is None:
            raise
        # a core install runs check, scan and audit; the rest says what to install
        err_line(f"perintah ini butuh paket tambahan '{extra}' (modul {exc.name} tidak ada) / "
                 f"this command needs the '{extra}' extra: pip install 'netral[{extra}]'")
        raise SystemExit(EXIT_USAGE) from None
    except Exception as exc:
        if "sqlalchemy" not in sys.modules:  # no database was touched: not a database failure
            raise
        from netral.store.errors import classify, describe

        kind = classify(exc)
        if kind is None:
            raise
        # What was committed before the failure stays; a re-run continues from there.
        msg = {
            "unavailable": "basis data tidak dapat dihubungi / database unreachable",
            "busy": "basis data sibuk (dikunci proses lain); ulangi / database busy; retry",
        }[kind]
        err_line(f"{msg}: {describe(exc)}")
        raise SystemExit(EXIT_DATABASE) from None
