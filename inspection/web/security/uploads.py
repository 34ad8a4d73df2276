"""Evidence uploads: the size is capped while reading, so a huge file never sits in memory whole.

Type checks (extension, declared type, magic bytes) are the finding service's job (validate_upload).
"""

from __future__ import annotations

from fastapi import UploadFile

from inspection.findings import FindingError, Upload, safe_filename
from store.settings import Settings

CHUNK = 64 * 1024
MAX_FILES = 10


async def read_upload(file: UploadFile, settings: Settings) -> Upload:
    """The file as an Upload; FindingError once it passes the size limit."""
    limit = settings.finding_attachment_max_bytes
    chunks, size = [], 0
    while chunk := await file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FindingError(
                f"attachment {safe_filename(file.filename or '')}: over the limit of {limit} bytes"
            )
        chunks.append(chunk)
    return Upload(
        filename=file.filename or "file", content_type=file.content_type or "", data=b"".join(chunks)
    )


async def read_uploads(files: list[UploadFile], settings: Settings) -> list[Upload]:
    """Every non-empty file of a form field (at most MAX_FILES)."""
    chosen = [f for f in files if f.filename]
    if len(chosen) > MAX_FILES:
        raise FindingError(f"attachments: at most {MAX_FILES} files")
    return [await read_upload(f, settings) for f in chosen]
