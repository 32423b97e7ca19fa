"""The typer application of ``netral``: the top-level group lists every command of
``netral.cli.COMMANDS`` and imports a command's module on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

from netral.cli import COMMANDS

if TYPE_CHECKING:  # typer vendors click: no separate click at run time
    from typer.core import TyperCommand


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
