"""Messages of the evidence checks and of ``netral evidence`` (Indonesian default, English),
kept as data in ``messages.yaml`` and read by :mod:`netral.config.messages`."""

from __future__ import annotations

from typing import Any

from netral.config.messages import Catalogue, catalogue


def messages() -> Catalogue:
    return catalogue("netral.evidence")


def render(code: str, lang: str = "id", **params: Any) -> str:
    """The message of ``code`` in ``lang``; an unknown code is shown as itself."""
    return messages().text(code, lang, **params)
