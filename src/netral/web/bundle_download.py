"""A case's evidence bundle as an HTTP download (the bundle is built by :mod:`netral.review.evidence`)."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from netral.review.authz import Principal
from netral.review.evidence import case_bundle
from netral.store.models import Case


def case_bundle_response(db: Session, p: Principal, c: Case) -> Response:
    """The bundle as a download. Headers ``X-Netral-Timestamped: yes|no`` and, when the TSA
    failed, ``X-Netral-Evidence-Note`` (ASCII) tell API callers what they got."""
    b = case_bundle(db, p, c)
    headers = {"Content-Disposition": f'attachment; filename="{b.filename}"',
               "X-Netral-Timestamped": "yes" if b.timestamped else "no"}
    if b.note:
        headers["X-Netral-Evidence-Note"] = (
            "TSA failed, bundle not timestamped: " + b.note
        ).encode("ascii", "replace").decode("ascii").replace("\r", " ").replace("\n", " ")[:500]
    return Response(b.data, media_type="application/zip", headers=headers)
