"""One request to the detector: what was written or done, when, and by whom.

Every door (CLI, library, web, scan, self-audit, ingest) builds the same request and gets the
same validation and the same error codes, once, here (issue 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from netral.detect.when import parse_when
from netral.kinds import ACCOUNTS, EMPLOYEES, KINDS, MAX_TEXT_CHARS, judged_text


class RequestError(ValueError):
    """A request the detector cannot judge; ``code`` says why in a stable, machine-readable way:
    ``not_text``, ``unknown_kind``, ``bad_date``, ``unknown_account``, ``unknown_employee``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self):  # crosses process boundaries (netral.detect.judge's worker pool)
        return (RequestError, (self.code, str(self)))


@dataclass(frozen=True, slots=True)
class Request:
    text: str
    kind: str = "post"
    when: date | datetime | str | None = None
    account: str = "personal"  # personal | official (an agency's own account)
    employee: str = "pns"  # pns | pppk | pejabat | non_asn
    boilerplate: tuple[str, ...] = ()  # the agency's standard phrases, never evidence
    lang: str = "id"


@dataclass(frozen=True, slots=True)
class Checked:
    """A request after validation: normalised kind and language, the act's date."""

    text: str
    kind: str
    day: date | None
    account: str
    employee: str
    boilerplate: tuple[str, ...]
    lang: str
    truncated: bool = False  # only the first MAX_TEXT_CHARS characters are judged
    judged_text: str | None = None  # ``text`` when it is not what was given (judged_text())


def validate(req: Request) -> Checked:
    if not isinstance(req.text, str):
        raise RequestError("not_text", "text must be str")
    kind = (req.kind or "post").lower()
    if kind not in KINDS:
        raise RequestError("unknown_kind", f"unknown kind '{kind}' (one of: {', '.join(sorted(KINDS))})")
    if req.account not in ACCOUNTS:
        raise RequestError("unknown_account", f"unknown account '{req.account}' ({'|'.join(ACCOUNTS)})")
    if req.employee not in EMPLOYEES:
        raise RequestError("unknown_employee",
                           f"unknown employee class '{req.employee}' ({'|'.join(EMPLOYEES)})")
    try:
        day = parse_when(req.when)
    except ValueError as exc:
        raise RequestError("bad_date", str(exc)) from None
    lang = "en" if req.lang == "en" else "id"
    # the one length rule of every door: a longer text is judged on its first MAX_TEXT_CHARS
    # characters and its Result says so (``truncated``); reason offsets stay valid
    text = judged_text(kind, req.text)
    read_as = text if text != req.text else None
    truncated = len(text) > MAX_TEXT_CHARS
    if truncated:
        text = text[:MAX_TEXT_CHARS]
    return Checked(text, kind, day, req.account, req.employee, tuple(req.boilerplate), lang,
                   truncated, read_as)
