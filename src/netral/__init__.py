"""netral: explained detection of campaign content for ASN political neutrality.

Library entry point::

    import netral
    r = netral.check("Ayo coblos nomor 2!", kind="post")
    r.verdict, r.score, r.reasons
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from netral.detect.result import Mitigation, Reason, Result, Target, Verdict
from netral.kinds import Kind
from netral.version import __version__

__all__ = [
    "Kind",
    "Mitigation",
    "Reason",
    "Result",
    "Target",
    "Verdict",
    "__version__",
    "check",
    "get_detector",
]


def get_detector(packs: Sequence[str] | str | None = None):  # -> netral.detect.detector.Detector
    """The shared, lazily built detector for a set of packs (None = every shipped pack)."""
    from netral.detect.detector import get_detector as _get

    return _get(packs)


def check(
    text: str,
    kind: str = "post",
    pack: Sequence[str] | str | None = None,
    lang: str = "id",
    *,
    when: date | datetime | str | None = None,
    account: str = "personal",
    employee: str = "pns",
    boilerplate: Sequence[str] = (),
) -> Result:
    """Judge one piece of content as the act ``kind`` by a civil servant.

    ``pack``: knowledge pack name(s); None activates every shipped pack.
    ``when``: date of the act; packs whose election is in force then weigh most.
    ``account``: "personal" or "official" (an agency account).
    ``employee``: "pns", "pppk", "pejabat" (structural official) or "non_asn".
    ``boilerplate``: agency-declared phrases (signatures, programme hashtags) to ignore.
    """
    return get_detector(pack).check(
        text,
        kind=kind,
        lang=lang,
        when=when,
        account=account,
        employee=employee,
        boilerplate=boilerplate,
    )
