"""Hostile input refused at the door: control characters and oversized values in forms, JSON and queries.

One app-wide dependency checks every text value a request carries (form fields, JSON strings at any depth,
query parameters) before a route sees it, so the HTML forms and the API refuse the same things with the
same Chinese message naming the field. Uploaded files are not text and are checked by the finding service.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

# C0 controls and DEL, except tab, line feed and carriage return (browsers send textarea lines as CRLF);
# NUL cannot be stored by PostgreSQL, the rest hide text from reviewers and break CSV and logs.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_FORM_VALUE = 20_000
MAX_QUERY_VALUE = 500
MAX_VALUES = 300
MAX_JSON_BYTES = 1_000_000


class InputRefused(Exception):
    """A request carried a value no route accepts; the message says which field and why (Chinese)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_text(field: str, value: str, limit: int) -> None:
    """Refuse VALUE of FIELD when it holds a control character or is longer than LIMIT characters."""
    if CONTROL.search(value):
        raise InputRefused(field, f"字段「{field}」含有不允许的控制字符（如 NUL），请删除后再提交")
    if len(value) > limit:
        raise InputRefused(field, f"字段「{field}」过长：最多 {limit} 个字符")


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_strings(str(key), f"{path}.{key}" if path else str(key))
            yield from _json_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")


async def refuse_hostile_input(request: Request) -> None:
    """App-wide dependency: every query, form and JSON text value is free of control characters and bounded."""
    if len(request.query_params.multi_items()) > MAX_VALUES:
        raise InputRefused("query", "查询参数过多")
    for name, value in request.query_params.multi_items():
        check_text(name, name, 100)
        check_text(name, value, MAX_QUERY_VALUE)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        await _check_form(request)
    elif content_type.startswith("application/json"):
        await _check_json(request)


async def _check_form(request: Request) -> None:
    try:
        form: Any = await request.form()  # cached: the route's Form parameters reuse it
    except Exception:  # a malformed body is the route's (or CSRF check's) refusal, not a crash here
        return
    items = form.multi_items()
    if len(items) > MAX_VALUES:
        raise InputRefused("form", "表单字段过多")
    for name, value in items:
        check_text(name, name, 100)
        if isinstance(value, UploadFile):
            check_text(name, value.filename or "", 255)
        else:
            check_text(name, value, MAX_FORM_VALUE)


async def _check_json(request: Request) -> None:
    body = await request.body()  # cached for the route
    if len(body) > MAX_JSON_BYTES:
        raise InputRefused("body", f"请求体过大：最多 {MAX_JSON_BYTES} 字节")
    try:
        document = json.loads(body) if body else None
    except ValueError:
        return  # FastAPI answers malformed JSON with 422 itself
    for path, value in _json_strings(document, ""):
        check_text(path or "body", value, MAX_FORM_VALUE)
