"""Image uploads for the pre-post checker: read in memory only, with a size limit.

Starlette's form parser spools uploaded files larger than 1 MB into a temporary file on
disk; the checker promises to store nothing, so uploads are parsed here with a spool limit
above the upload limit (the picture never leaves memory) and the request body is refused
with 413 as soon as it grows past the limit (``Content-Length`` first, then while reading).
The bytes go straight to :func:`netral.images.check_image` and are dropped afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from netral.config import get_settings

MAX_IMAGE_BYTES = get_settings().web_max_image_bytes  # NETRAL_WEB_MAX_IMAGE_BYTES
# room for the other form fields (text up to 20,000 characters) and multipart framing
FORM_OVERHEAD = 256 * 1024
MAX_FIELDS = 16


class UploadTooLarge(Exception):
    """The request (or the picture in it) is larger than the limit (HTTP 413)."""


class UploadInvalid(Exception):
    """Not a readable multipart form (HTTP 422); the message says why."""


@dataclass(slots=True)
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str = ""
    content_type: str = ""
    data: bytes = b""

    @property
    def has_file(self) -> bool:
        return bool(self.data)


class _InMemoryParser(MultiPartParser):
    spool_max_size = MAX_IMAGE_BYTES + FORM_OVERHEAD  # never roll over to a file on disk


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


async def _limited(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise UploadTooLarge()
        yield chunk


async def read_upload(request: Request, file_field: str = "file",
                      max_bytes: int = MAX_IMAGE_BYTES) -> Upload:
    """Parse a multipart request in memory: text fields plus at most one file."""
    limit = max_bytes + FORM_OVERHEAD
    try:
        declared = int(request.headers.get("content-length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise UploadTooLarge()
    if not is_multipart(request):
        raise UploadInvalid("multipart/form-data expected")
    parser = _InMemoryParser(request.headers, _limited(request, limit), max_files=1,
                             max_fields=MAX_FIELDS, max_part_size=FORM_OVERHEAD)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise UploadInvalid(str(exc)) from exc
    out = Upload()
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key != file_field:
                    continue
                value.file.seek(0)
                data = value.file.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise UploadTooLarge()
                out.data = data
                out.filename = value.filename or ""
                out.content_type = value.content_type or ""
            elif key not in out.fields:
                out.fields[key] = value
    finally:
        await form.close()
    return out
