"""Compact forms of a detector ``Result`` that the many-item doors take back from
``netral.detect.judge``'s worker pool (its ``compact`` argument): each is applied where the
item was judged, so the pool pickles a few strings instead of a rich ``Result`` with its
reasons, targets and mitigations (about 120 µs per item both ways, more than half of what
judging a typical item costs). Kept in this light module: a worker process imports it to
unpickle the function, and must not pay for the database layer or the audit's parsers."""

from __future__ import annotations

from typing import Any, NamedTuple

import orjson


def detection(res: Any) -> tuple[str, float, str]:
    """What monitoring stores of a judgement: verdict, score and the ``Result.to_dict()`` as
    JSON text (orjson writes a Result dataclass exactly as its ``to_dict()``: tested)."""
    return str(res.verdict), float(res.score), orjson.dumps(res).decode()


class Cleared(NamedTuple):
    """A ``netral`` judgement the self-audit only counts (its report lists flagged items)."""

    verdict: str
    score: float

    @property
    def flagged(self) -> bool:
        return False


def flagged_only(res: Any) -> Any:
    """The whole ``Result`` of a flagged item; a :class:`Cleared` for the others."""
    return res if res.flagged else Cleared(str(res.verdict), float(res.score))
