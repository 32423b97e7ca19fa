"""What the pages and the JSON API do, in one place: both call these functions.

Each function takes the database session and the acting :class:`Principal`, checks the
permission, works only on rows inside the principal's scope, writes an audit-log entry for
every change and leaves the commit to the caller's request scope.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from netral.review.authz import (
    Conflict,
    Forbidden,
    NotFound,
    Principal,
    agency_of,
    get_finding,
    scope_cases,
    scope_findings,
    scope_users,
)
from netral.store import audit
from netral.store.models import (
    CASE_FLOW,
    AgencySettings,
    Case,
    CaseEvent,
    CaseFinding,
    CaseStatus,
    Detection,
    FeedbackLabel,
    Finding,
    FindingStatus,
    Item,
    LabelledFeedback,
    Role,
    SanctionType,
    Staff,
    User,
)
from netral.store.sql import insert_ignore
from netral.store.types import utcnow

OPEN_FINDING = (FindingStatus.NEW, FindingStatus.CLAIMED, FindingStatus.ESCALATED)


# --------------------------------------------------------------------------- helpers


def log_action(db: Session, p: Principal, action: str, obj: Any, agency_id: int | None, **details):
    audit.record(
        db,
        action,
        actor=p.username,
        actor_id=p.id,
        agency_id=agency_id,
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=getattr(obj, "id", None),
        details=details,
    )


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """``text`` escaped, with the given (start, end, title) spans wrapped in ``<mark>``.

    Overlapping spans are merged; offsets outside the text are clipped."""
    text = text or ""
    merged: list[list[Any]] = []
    for start, end, title in sorted((max(0, s), min(len(text), e), t) for s, e, t in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if title and title not in merged[-1][2]:
                merged[-1][2].append(title)
        else:
            merged.append([start, end, [title] if title else []])
    out: list[str] = []
    pos = 0
    for start, end, titles in merged:
        out.append(str(escape(text[pos:start])))
        out.append(
            f'<mark title="{escape("; ".join(titles))}">{escape(text[start:end])}</mark>'
        )
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def result_spans(result: dict[str, Any] | None, lang: str = "id"
                 ) -> list[tuple[int, int, str]]:
    """(start, end, title) of each reason; the title names the category in words
    (``ajakan memilih``, not ``ajakan_memilih``) and cites the rule."""
    from netral.rules import category_label

    spans = []
    for r in (result or {}).get("reasons", []) or []:
        try:
            cat = category_label(r["category"], lang) if r.get("category") else None
            title = " · ".join(x for x in (cat, r.get("rule_ref")) if x)
            spans.append((int(r["start"]), int(r["end"]), title))
        except (KeyError, TypeError, ValueError):
            continue
    return spans


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


def evidence_status(db: Session, item_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Per item: whether evidence was captured (from :mod:`netral.evidence`, when present)."""
    from netral.review import evidence as review_evidence

    return review_evidence.status_for_items(db, item_ids)


# --------------------------------------------------------------------------- findings


def finding_dict(f: Finding, evidence: dict[str, Any] | None = None) -> dict[str, Any]:
    item = f.item
    result = f.detection.result if f.detection is not None else {}
    return {
        "id": f.id,
        "agency_id": f.agency_id,
        "status": f.status,
        "risk_score": round(float(f.risk_score or 0.0), 4),
        "sampled_as_netral": bool(f.sampled_as_netral),
        "assigned_to": f.assigned_to.username if f.assigned_to else None,
        "reviewer": f.reviewer.username if f.reviewer else None,
        "reason": f.reason,
        "created_at": _iso(f.created_at),
        "reviewed_at": _iso(f.reviewed_at),
        "staff": (
            {
                "id": f.staff.id,
                "nip": f.staff.nip,
                "name": f.staff.name,
                "unit": f.staff.unit.path if f.staff.unit else None,
            }
            if f.staff
            else None
        ),
        "item": {
            "id": item.id,
            "platform": item.platform,
            "kind": item.kind,
            "handle": item.handle,
            "text": item.text,
            "url": item.url,
            "created_at": _iso(item.created_at),
        },
        "detection": {
            "verdict": f.detection.verdict if f.detection else None,
            "score": f.detection.score if f.detection else None,
            "detector_version": f.detection.detector_version if f.detection else None,
            "pack_version": f.detection.pack_version if f.detection else None,
            "result": result,
        },
        "evidence": evidence or {"captured": False},
    }


def _finding_query(p: Principal):
    return scope_findings(
        select(Finding).options(
            selectinload(Finding.item),
            selectinload(Finding.detection),
            selectinload(Finding.staff).selectinload(Staff.unit),
            selectinload(Finding.assigned_to),
            selectinload(Finding.reviewer),
        ),
        p,
    )


def list_findings(
    db: Session,
    p: Principal,
    *,
    status: str | None = "open",
    mine: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Finding], int]:
    p.require("read")
    stmt = _finding_query(p)
    if status == "open":
        stmt = stmt.where(Finding.status.in_([s.value for s in OPEN_FINDING]))
    elif status:
        stmt = stmt.where(Finding.status == status)
    if mine:
        stmt = stmt.where(Finding.assigned_to_id == p.id)
    total = db.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    stmt = stmt.order_by(Finding.risk_score.desc(), Finding.id.asc()).limit(limit).offset(offset)
    return list(db.scalars(stmt)), int(total)


def _require_open(f: Finding) -> None:
    if f.status not in OPEN_FINDING:
        raise Conflict(_decided_by(f))


def _decided_by(f: Finding) -> str:
    """Who did what to a finding, for the 409 of the person who came second."""
    who = f.reviewer.username if f.reviewer is not None else None
    if f.status in (FindingStatus.CONFIRMED, FindingStatus.DISMISSED) and who:
        when = f.reviewed_at.isoformat(timespec="seconds") if f.reviewed_at else "?"
        return f"finding {f.id} is already {f.status} by {who} at {when}"
    if f.status == FindingStatus.ESCALATED:
        return f"finding {f.id} is escalated to a supervisor"
    holder = f.assigned_to.username if f.assigned_to is not None else None
    if holder:
        return f"finding {f.id} is {f.status}, held by {holder}"
    return f"finding {f.id} is {f.status}"


def _compare_and_set(db: Session, obj: Finding | Case, **values: Any) -> None:
    """Write ``values`` to ``obj``'s row only if nobody changed it since it was read.

    One conditional ``UPDATE … WHERE id = :id AND version = :read`` decides, inside the
    database, which of two concurrent requests wins (sync endpoints run in parallel threads,
    and several workers or servers may share the database). The loser changes nothing and
    gets a :class:`Conflict` naming the state the winner left. The caller writes its audit
    and feedback rows only after this returned, so a lost race leaves no trace but the 409.
    """
    model = type(obj)
    read_version = obj.version
    res = db.execute(
        update(model)
        .where(model.id == obj.id, model.version == read_version)
        .values(version=read_version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.expire(obj)
    if res.rowcount != 1:
        db.refresh(obj)
        if isinstance(obj, Finding):
            raise Conflict(_decided_by(obj) + " (changed meanwhile)")
        raise Conflict(f"case {obj.id} moved to {obj.status} meanwhile")
    db.refresh(obj)
    from netral.review import stats

    stats.invalidate(obj.agency_id)  # the dashboard's figures of this agency changed


def claim(db: Session, p: Principal, f: Finding) -> Finding:
    p.require("review")
    _require_open(f)
    if f.assigned_to_id not in (None, p.id):
        raise Conflict(_decided_by(f))
    status = FindingStatus.CLAIMED.value if f.status == FindingStatus.NEW else f.status
    _compare_and_set(db, f, assigned_to_id=p.id, status=status)
    log_action(db, p, "finding.claim", f, f.agency_id)
    return f


def assign(db: Session, p: Principal, f: Finding, user_id: int | None) -> Finding:
    p.require("assign")
    _require_open(f)
    if user_id is not None:
        target = db.scalars(
            scope_users(select(User).where(User.id == user_id), p).where(
                User.agency_id == f.agency_id, User.active.is_(True)
            )
        ).first()
        if target is None or target.role not in (Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER):
            raise NotFound("user")
    status = (FindingStatus.CLAIMED.value if f.status == FindingStatus.NEW and user_id is not None
              else f.status)
    _compare_and_set(db, f, assigned_to_id=user_id, status=status)
    log_action(db, p, "finding.assign", f, f.agency_id, assigned_to=user_id)
    return f


def _feedback(db: Session, p: Principal, f: Finding, label: str, reason: str) -> None:
    det = f.detection
    db.add(
        LabelledFeedback(
            agency_id=f.agency_id,
            item_id=f.item_id,
            finding_id=f.id,
            text=f.item.text if f.item else "",
            kind=f.item.kind if f.item else "post",
            label=label,
            predicted=det.verdict if det else None,
            reason=reason,
            detector_version=det.detector_version if det else None,
            pack_version=det.pack_version if det else None,
            user_id=p.id,
        )
    )


def _decide(db: Session, p: Principal, f: Finding, status: FindingStatus, reason: str) -> Finding:
    p.require("review")
    _require_open(f)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("reason_required")
    if f.status == FindingStatus.ESCALATED and not p.can("assign"):
        raise Forbidden("escalated findings are decided by a supervisor")
    _compare_and_set(db, f, status=status.value, reviewer_id=p.id, reason=reason,
                     reviewed_at=utcnow())
    label = FeedbackLabel.KAMPANYE if status == FindingStatus.CONFIRMED else FeedbackLabel.NETRAL
    _feedback(db, p, f, label.value, reason)
    log_action(db, p, f"finding.{'confirm' if status == FindingStatus.CONFIRMED else 'dismiss'}",
           f, f.agency_id, reason=reason)
    return f


def confirm(db: Session, p: Principal, f: Finding, reason: str) -> Finding:
    return _decide(db, p, f, FindingStatus.CONFIRMED, reason)


def dismiss(db: Session, p: Principal, f: Finding, reason: str) -> Finding:
    return _decide(db, p, f, FindingStatus.DISMISSED, reason)


def escalate(db: Session, p: Principal, f: Finding, reason: str) -> Finding:
    p.require("review")
    _require_open(f)
    if f.status == FindingStatus.ESCALATED:
        raise Conflict(_decided_by(f))
    _compare_and_set(db, f, status=FindingStatus.ESCALATED.value, assigned_to_id=None,
                     reason=(reason or "").strip() or None)
    log_action(db, p, "finding.escalate", f, f.agency_id, reason=f.reason)
    return f


FINDING_ACTIONS = ("claim", "assign", "confirm", "dismiss", "escalate")


def finding_action(
    db: Session, p: Principal, f: Finding, action: str, *, reason: str = "",
    user_id: int | None = None,
) -> Finding:
    if action == "claim":
        return claim(db, p, f)
    if action == "assign":
        return assign(db, p, f, user_id)
    if action == "confirm":
        return confirm(db, p, f, reason)
    if action == "dismiss":
        return dismiss(db, p, f, reason)
    if action == "escalate":
        return escalate(db, p, f, reason)
    raise ValueError(f"unknown action {action!r}")


def bulk_action(
    db: Session, p: Principal, ids: Sequence[int], action: str, *, reason: str = "",
    user_id: int | None = None,
) -> dict[str, Any]:
    """Apply one action to many findings; each one is checked on its own. The answer counts
    what was done and carries the token to undo it (netral.review.bulk)."""
    from netral.review import bulk

    return bulk.apply(db, p, ids, action, reason=reason, user_id=user_id).to_dict()


def _agency_settings(db: Session, agency_id: int) -> AgencySettings:
    st = db.get(AgencySettings, agency_id)
    if st is None:
        # Two first requests of an agency may both get here: the loser's insert is a no-op.
        insert_ignore(db.connection(), AgencySettings.__table__, [{"agency_id": agency_id}],
                      ["agency_id"])
        st = db.get(AgencySettings, agency_id)
        assert st is not None
    return st


def sample_netral(
    db: Session, p: Principal, *, agency_id: int | None = None, rate: float | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Put a random share of items the detector judged ``netral`` into the review queue.

    Measures what the detector misses: reviewers' confirmations of these sampled findings are
    the false-negative estimate shown on the queue page."""
    p.require("assign")
    agency = agency_of(p, agency_id)
    if agency is None:
        raise NotFound("agency")
    st = _agency_settings(db, agency)
    rate = st.netral_sample_rate if rate is None else rate
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    latest = (
        select(Detection.item_id, func.max(Detection.id).label("det_id"))
        .group_by(Detection.item_id)
        .subquery()
    )
    stmt = (
        select(Item.id, Detection.id, Detection.score, Item.account_id)
        .join(latest, latest.c.item_id == Item.id)
        .join(Detection, Detection.id == latest.c.det_id)
        .outerjoin(Finding, Finding.item_id == Item.id)
        .where(Item.agency_id == agency, Finding.id.is_(None), Detection.verdict == "netral")
        .order_by(Item.id)
    )
    candidates = list(db.execute(stmt))
    rng = random.Random(seed)
    chosen = [c for c in candidates if rng.random() < rate]
    from netral.store.models import Account

    for item_id, det_id, score, account_id in chosen:
        staff_id = None
        if account_id is not None:
            acc = db.get(Account, account_id)
            staff_id = acc.staff_id if acc else None
        db.add(
            Finding(
                agency_id=agency, item_id=item_id, detection_id=det_id, staff_id=staff_id,
                risk_score=float(score or 0.0), sampled_as_netral=True,
            )
        )
    db.flush()
    from netral.review import stats

    stats.invalidate(agency)
    log_action(db, p, "queue.sample", None, agency, rate=rate, candidates=len(candidates),
           sampled=len(chosen))
    return {"agency_id": agency, "rate": rate, "candidates": len(candidates),
            "sampled": len(chosen)}


def sample_stats(db: Session, p: Principal) -> dict[str, int]:
    stmt = scope_findings(
        select(Finding.status, func.count()).where(Finding.sampled_as_netral.is_(True)), p
    ).group_by(Finding.status)
    counts = {s: int(n) for s, n in db.execute(stmt)}
    reviewed = counts.get("confirmed", 0) + counts.get("dismissed", 0)
    return {"sampled": sum(counts.values()), "reviewed": reviewed,
            "missed": counts.get("confirmed", 0)}


def reviewers(db: Session, p: Principal, agency_id: int | None) -> list[User]:
    stmt = scope_users(select(User), p).where(
        User.active.is_(True), User.role.in_([Role.ADMIN, Role.SUPERVISOR, Role.REVIEWER])
    )
    if agency_id is not None:
        stmt = stmt.where(User.agency_id == agency_id)
    return list(db.scalars(stmt.order_by(User.username)))


# --------------------------------------------------------------------------- cases


def _step_days(st: AgencySettings, status: str) -> int | None:
    return {
        CaseStatus.FINDING: 7,
        CaseStatus.CLARIFICATION: st.clarification_days,
        CaseStatus.RECOMMENDATION: st.ppk_deadline_days,
        CaseStatus.SANCTION: 14,
    }.get(CaseStatus(status))


def is_overdue(c: Case, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return c.status != CaseStatus.CLOSED and c.due_at is not None and c.due_at < now


def case_dict(c: Case, *, full: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": c.id,
        "agency_id": c.agency_id,
        "title": c.title,
        "status": c.status,
        "sanction_type": c.sanction_type,
        "sanction_note": c.sanction_note,
        "ppk": c.ppk,
        "due_at": _iso(c.due_at),
        "overdue": is_overdue(c),
        "opened_at": _iso(c.opened_at),
        "closed_at": _iso(c.closed_at),
        "staff": (
            {"id": c.staff.id, "nip": c.staff.nip, "name": c.staff.name,
             "unit": c.staff.unit.path if c.staff.unit else None}
            if c.staff else None
        ),
        "finding_ids": [f.id for f in c.findings],
        "next_status": next_status(c),
    }
    if full:
        d["events"] = [
            {
                "id": e.id,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "details": e.details,
                "actor": e.actor.username if e.actor else None,
                "created_at": _iso(e.created_at),
            }
            for e in c.events
        ]
    return d


def next_status(c: Case) -> str | None:
    i = CASE_FLOW.index(CaseStatus(c.status))
    return CASE_FLOW[i + 1].value if i + 1 < len(CASE_FLOW) else None


def list_cases(db: Session, p: Principal, *, status: str | None = None) -> list[Case]:
    p.require("read")
    stmt = scope_cases(
        select(Case).options(
            selectinload(Case.staff).selectinload(Staff.unit), selectinload(Case.findings)
        ),
        p,
    )
    if status == "open":
        stmt = stmt.where(Case.status != CaseStatus.CLOSED.value)
    elif status and status != "all":
        stmt = stmt.where(Case.status == status)
    return list(db.scalars(stmt.order_by(Case.due_at.is_(None), Case.due_at, Case.id)))


def open_case(
    db: Session, p: Principal, finding_ids: Sequence[int], *, title: str = "",
    ppk: str | None = None,
) -> Case:
    p.require("case_manage")
    if not finding_ids:
        raise ValueError("finding_required")
    findings = [get_finding(db, p, int(i)) for i in sorted({int(i) for i in finding_ids})]
    for f in findings:
        if f.status != FindingStatus.CONFIRMED:
            raise Conflict(f"finding {f.id} is not confirmed")
    _require_no_open_case(db, findings)
    staff_ids = {f.staff_id for f in findings}
    if len(staff_ids) != 1:
        raise Conflict("all findings of a case must concern the same staff member")
    agency_id = findings[0].agency_id
    st = _agency_settings(db, agency_id)
    staff = findings[0].staff
    case = Case(
        agency_id=agency_id,
        staff_id=findings[0].staff_id,
        title=(title or "").strip()[:255]
        or (f"Netralitas ASN: {staff.name}" if staff else f"Temuan #{findings[0].id}"),
        status=CaseStatus.FINDING.value,
        ppk=(ppk or st.ppk),
        opened_by_id=p.id,
        due_at=utcnow() + timedelta(days=_step_days(st, CaseStatus.FINDING) or 7),
    )
    # One open case per finding: bumping each finding's version makes two concurrent
    # "open case" requests for the same finding collide here; the loser gets 409.
    for f in findings:
        _compare_and_set(db, f)
    db.add(case)
    db.flush()
    for f in findings:
        db.add(CaseFinding(case_id=case.id, finding_id=f.id))
    db.add(CaseEvent(case_id=case.id, from_status=None, to_status=CaseStatus.FINDING.value,
                     note=None, details={"findings": [f.id for f in findings]}, actor_id=p.id))
    log_action(db, p, "case.open", case, agency_id, findings=[f.id for f in findings])
    db.flush()
    db.refresh(case)
    return case


def _require_no_open_case(db: Session, findings: Sequence[Finding]) -> None:
    """A finding belongs to at most one case that is not closed (see docs/concurrency.md)."""
    rows = db.execute(
        select(CaseFinding.finding_id, Case.id)
        .join(Case, Case.id == CaseFinding.case_id)
        .where(CaseFinding.finding_id.in_([f.id for f in findings]),
               Case.status != CaseStatus.CLOSED.value)
        .order_by(CaseFinding.finding_id)
    ).first()
    if rows is not None:
        raise Conflict(f"finding {rows[0]} is already in open case {rows[1]}")


def transition(
    db: Session, p: Principal, c: Case, to_status: str, *, note: str = "",
    sanction_type: str | None = None, ppk: str | None = None, from_status: str | None = None,
) -> Case:
    """Move a case one step along the official flow (or close it early with a note).

    ``from_status`` is the status the user saw when deciding; if the case has moved since
    (a colleague acted first), the request is refused rather than applied to a state its
    author never saw."""
    p.require("case_manage")
    try:
        target = CaseStatus(to_status)
    except ValueError as exc:
        raise ValueError(f"unknown status {to_status!r}") from exc
    if from_status and from_status != c.status:
        raise Conflict(f"case {c.id} is now {c.status}, not {from_status}")
    if c.status == CaseStatus.CLOSED:
        raise Conflict("case is closed")
    note = (note or "").strip()
    nxt = next_status(c)
    if target.value != nxt and target != CaseStatus.CLOSED:
        raise Conflict(f"a case in {c.status} moves to {nxt}, not {target.value}")
    if target == CaseStatus.CLOSED and nxt != CaseStatus.CLOSED.value and not note:
        raise ValueError("note_required")
    details: dict[str, Any] = {}
    values: dict[str, Any] = {"status": target.value}
    if target == CaseStatus.RECOMMENDATION:
        if not note:
            raise ValueError("note_required")
        confirmers = {f.reviewer_id for f in c.findings if f.reviewer_id is not None}
        if p.id in confirmers:
            raise Forbidden("two_person_rule")
        values["recommended_by_id"] = p.id
        values["ppk"] = ppk.strip()[:255] if ppk else c.ppk
        details["ppk"] = values["ppk"]
    if target == CaseStatus.SANCTION:
        try:
            values["sanction_type"] = SanctionType(sanction_type or "").value
        except ValueError as exc:
            raise ValueError("sanction_type_required") from exc
        values["sanction_note"] = note or None
        details["sanction_type"] = values["sanction_type"]
    st = _agency_settings(db, c.agency_id)
    before = c.status
    if target == CaseStatus.CLOSED:
        values.update(closed_at=utcnow(), due_at=None)
    else:
        days = _step_days(st, target)
        values["due_at"] = utcnow() + timedelta(days=days) if days else None
    _compare_and_set(db, c, **values)
    db.add(CaseEvent(case_id=c.id, from_status=before, to_status=target.value,
                     note=note or None, details=details, actor_id=p.id))
    log_action(db, p, "case.transition", c, c.agency_id, from_status=before,
           to_status=target.value, **details)
    db.flush()
    db.refresh(c)
    return c


def add_note(db: Session, p: Principal, c: Case, note: str) -> CaseEvent:
    p.require("case_note")
    note = (note or "").strip()
    if not note:
        raise ValueError("note_required")
    ev = CaseEvent(case_id=c.id, from_status=c.status, to_status=None, note=note, actor_id=p.id)
    db.add(ev)
    log_action(db, p, "case.note", c, c.agency_id)
    db.flush()
    db.refresh(c)
    return ev


def case_findings(db: Session, p: Principal, c: Case) -> list[Finding]:
    ids = [f.id for f in c.findings]
    if not ids:
        return []
    return list(db.scalars(_finding_query(p).where(Finding.id.in_(ids))))


# --------------------------------------------------------------------------- dashboard


def dashboard(db: Session, p: Principal, *, agency_id: int | None = None,
              start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Findings of a period by day, unit, platform, kind, contestant and status; open and
    overdue cases (aggregated in the database and cached per scope: netral.review.stats)."""
    from netral.review import stats

    return stats.dashboard(db, p, agency_id=agency_id, start=start, end=end)


def campaign_periods(start: date | None = None, end: date | None = None
                     ) -> list[tuple[date, date, str]]:
    """Campaign periods of the shipped knowledge packs (for shading charts)."""
    from netral.packs.periods import campaign_periods as pack_periods

    periods = pack_periods()
    if start and end:
        periods = [x for x in periods if not (x[1] < start or x[0] > end)]
    return periods


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD)") from exc


def now_utc() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- settings & users

SETTINGS_FIELDS = ("netral_sample_rate", "clarification_days", "ppk_deadline_days", "ppk",
                   "timezone")


def get_settings_dict(db: Session, p: Principal, agency_id: int | None) -> dict[str, Any]:
    p.require("read")
    if agency_id is None:
        raise NotFound("agency")
    st = _agency_settings(db, agency_id)
    return {"agency_id": agency_id, **{k: getattr(st, k) for k in SETTINGS_FIELDS}}


def update_settings(db: Session, p: Principal, agency_id: int | None,
                    values: dict[str, Any]) -> dict[str, Any]:
    p.require("admin")
    if p.unit_path:  # the settings are the whole agency's: not for an admin of one unit
        raise Forbidden("agency_wide")
    if agency_id is None:
        raise NotFound("agency")
    st = _agency_settings(db, agency_id)
    if values.get("timezone") is not None:
        from netral.review.zones import check_zone

        check_zone(values["timezone"])
    changed = {}
    for k in SETTINGS_FIELDS:
        if k in values and values[k] is not None and getattr(st, k) != values[k]:
            setattr(st, k, values[k])
            changed[k] = values[k]
    if changed:
        log_action(db, p, "settings.update", None, agency_id, **changed)
    db.flush()
    return get_settings_dict(db, p, agency_id)


# Users (list, create, passwords, roles, deactivation, deletion): netral.review.useradmin


def agency_boilerplate(db: Session, agency_id: int | None) -> tuple[str, ...]:
    """The agency's declared standard phrases (never evidence): the check page applies them for
    its signed-in staff exactly as monitoring ingest does for their accounts."""
    if agency_id is None:
        return ()
    from netral.store.models import BoilerplatePhrase

    return tuple(db.scalars(select(BoilerplatePhrase.phrase)
                            .where(BoilerplatePhrase.agency_id == agency_id)
                            .order_by(BoilerplatePhrase.id)))
