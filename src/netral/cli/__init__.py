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
    "images",
    "pack",
    "spark",
    "store",
    "web",
]

for _name in _COMMAND_MODULES:
    importlib.import_module(f"netral.cli.{_name}").register(app)


def main() -> None:
    app()
