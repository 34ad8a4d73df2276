"""Evidence uploads: size capped while reading, type decided by the bytes as well as the declared type."""

from __future__ import annotations

import re

from fastapi import UploadFile

from inspection.findings import Upload
from store.settings import Settings

CHUNK = 64 * 1024
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


class UploadRefused(ValueError):
    """An upload is too large or of a type we do not accept; the message says which."""


def _sniffed_type(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if "\x00" not in text else None


def safe_filename(name: str | None) -> str:
    """A file name without paths or odd characters (kept short)."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return (_SAFE_NAME.sub("_", base).strip("._") or "upload")[:200]


async def read_upload(file: UploadFile, settings: Settings) -> Upload:
    """The file as an Upload, or UploadRefused when too big or its bytes are not an allowed type."""
    allowed = {t.strip() for t in settings.upload_types.split(",") if t.strip()}
    chunks, size = [], 0
    while chunk := await file.read(CHUNK):
        size += len(chunk)
        if size > settings.upload_max_bytes:
            raise UploadRefused(f"{safe_filename(file.filename)}: larger than {settings.upload_max_bytes} bytes")
        chunks.append(chunk)
    data = b"".join(chunks)
    actual = _sniffed_type(data)
    declared = (file.content_type or "").split(";")[0].strip()
    if actual is None or actual not in allowed or declared not in (actual, "application/octet-stream", ""):
        raise UploadRefused(f"{safe_filename(file.filename)}: type not accepted (allowed: {', '.join(sorted(allowed))})")
    return Upload(filename=safe_filename(file.filename), content_type=actual, data=data)


async def read_uploads(files: list[UploadFile], settings: Settings) -> list[Upload]:
    """Every non-empty file of a form field."""
    return [await read_upload(f, settings) for f in files if f.filename]
