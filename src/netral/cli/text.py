"""The command line's words: one catalogue (``netral/cli/messages.yaml``, Indonesian first,
English available) read through :mod:`netral.config.messages`, one language rule, one way to
stop with a message.

Every command module calls these instead of keeping its own table and ``t()``:
``t(key, lang, **fields)`` for the text, ``raise refuse(key, lang, **fields)`` to stop with it
on stderr. A key missing from the catalogue is a programming error
(``KeyError``); ``tests/config/test_messages.py`` finds every key the CLI names in its source.
"""

from __future__ import annotations

from typing import Any

import typer

from netral.cli._common import EXIT_USAGE, exit_error
from netral.config.messages import DEFAULT_LANG, Catalogue, catalogue, normalise_lang

PACKAGE = "netral.cli"


def words() -> Catalogue:
    """The command line's catalogue (read once per process)."""
    return catalogue(PACKAGE)


def cli_lang(lang: str | None) -> str:
    """The language a command speaks: ``--lang`` if given, else the settings' ``lang``."""
    from netral.config import get_settings

    return normalise_lang(lang or get_settings().lang)


def t(key: str, lang: str = DEFAULT_LANG, /, **fields: Any) -> str:
    """The text of ``key`` in ``lang`` with its ``str.format`` fields filled in."""
    cat = words()
    if key not in cat:
        raise KeyError(f"{key!r} is not in {cat.where}")
    return cat.text(key, lang, **fields)


def refuse(key: str, lang: str, exit_code: int = EXIT_USAGE, /, **fields: Any) -> typer.Exit:
    """``netral: <text of key>`` on stderr; the caller raises the returned exit. The
    parameters are positional so that a text may have a field of any name (``{code}``)."""
    return exit_error(t(key, lang, **fields), exit_code)
