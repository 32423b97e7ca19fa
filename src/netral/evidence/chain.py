"""Checking a run of hash-chained ledger entries (shared by the database check and the bundle
verifier, which has no database)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from netral.evidence.canonical import entry_hash
from netral.evidence.problems import Report


@dataclass(frozen=True, slots=True)
class Link:
    seq: int
    time: str
    prev: str
    body_sha256: str
    entry_hash: str
    body: bytes | None = None  # when present, its sha256 must equal body_sha256


def check_links(
    links: Iterable[Link],
    report: Report,
    *,
    first_seq: int | None = None,
    first_prev: str | None = None,
    where: str = "",
) -> Link | None:
    """Walk ``links`` in order; add a problem for every entry that is missing, duplicated or
    out of order, whose body or fields were altered, or whose ``prev`` does not match the entry
    before it. Returns the last link (so the caller can compare it with a signed head).

    Each problem names the entry (``entry <seq>``); ``where`` prefixes it (e.g. a bundle path).
    """
    expected = first_seq
    running = first_prev
    last: Link | None = None
    last_time = ""
    for link in links:
        target = f"{where}entry {link.seq}"
        if link.time < last_time:  # ISO-8601 UTC text sorts as time
            report.add("entry_time_backwards", target, severity="warning", seq=link.seq)
        last_time = max(last_time, link.time)
        if link.body is not None and hashlib.sha256(link.body).hexdigest() != link.body_sha256:
            report.add("entry_body_altered", target, seq=link.seq)
        gap = False
        if expected is not None and link.seq != expected:
            if link.seq > expected:
                report.add("entry_missing", f"{where}entry {expected}",
                           first=expected, last=link.seq - 1)
                gap = True
            else:
                report.add("entry_out_of_order", target, seq=link.seq, expected=expected)
                gap = True
        if running is not None and link.prev != running and not gap:
            report.add("entry_prev_mismatch", target, seq=link.seq)
        if entry_hash(link.seq, link.prev, link.time, link.body_sha256) != link.entry_hash:
            report.add("entry_hash_mismatch", target, seq=link.seq)
        running = link.entry_hash
        expected = link.seq + 1 if expected is None or link.seq >= expected else expected
        last = link
    return last
