"""`netral` command line: thin commands over the core. Each command group lives in its own
module exposing ``register(app)``; add a module name to ``_COMMAND_MODULES`` to plug it in."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="netral",
    help="netral — pemeriksa netralitas ASN di media sosial / ASN neutrality checker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES = [
    "audit",
    "check",
    "scan",
    "evaluate",
    "evidence",
    "extension",
    "images",
    "pack",
    "spark",
    "store",
    "web",
]

for _name in _COMMAND_MODULES:
    importlib.import_module(f"netral.cli.{_name}").register(app)


def main() -> None:
    from netral.store.errors import classify, describe

    try:
        app()
    except Exception as exc:
        kind = classify(exc)
        if kind is None:
            raise
        # What was committed before the failure stays; a re-run continues from there.
        msg = {
            "unavailable": "basis data tidak dapat dihubungi / database unreachable",
            "busy": "basis data sibuk (dikunci proses lain); ulangi / database busy; retry",
        }[kind]
        from netral.cli._common import EXIT_DATABASE, err_console

        err_console.print(f"[bold red]netral:[/] {msg}: {describe(exc)}", highlight=False)
        raise SystemExit(EXIT_DATABASE) from None

