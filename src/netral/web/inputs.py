"""Bounds shared by every request model and parameter of the API and the pages.

Ids are PostgreSQL ``integer`` columns: an id above 2³¹−1 (or an offset above what the
driver can send) used to reach the database and come back as a 500 (issue 14). Declared
here, the bounds answer 422 before any query and appear in the OpenAPI schema, so the
schema-driven fuzzing (``tests/web/test_web_fuzz.py``) knows them too. Text may hold no NUL
character: PostgreSQL refuses it, and no name, reason or note needs one.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, Field, field_validator

MAX_DB_ID = 2**31 - 1
MAX_OFFSET = 10**9
MAX_PAGE = 10**6

DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_DB_ID)]
AgencyQuery = Annotated[int | None, Query(ge=1, le=MAX_DB_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    return False


def parse_id(value: Any) -> int | None:
    """An id from a form field: ASCII digits within the id range, else None."""
    text = str(value or "")
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_DB_ID:
        return int(text)
    return None


def clamp_page(page: int) -> int:
    """A page number from a query string, kept where an offset can be computed from it."""
    return min(max(page, 1), MAX_PAGE)


class Body(BaseModel):
    """Base of every JSON request body: no NUL character in any field."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if has_nul(value):
            raise ValueError("NUL (0x00) characters are not allowed")
        return value
