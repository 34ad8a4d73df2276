"""JSON-lines files of `model score --input/--output`: paths checked, lines read and validated within limits.

Hostile input must cost bounded memory and time: a line is read at most MAX_LINE_BYTES at a time (a longer
one is skipped in chunks and reported), an item keeps only the fields scoring uses, each textual field cut
to MAX_FIELD_CHARS. Output replaces its file only when the whole run succeeds (temp file, then rename).
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from risk_model.data.records import RISK_TYPES_BY_KIND

MAX_LINE_BYTES = 1_000_000
MAX_FIELD_CHARS = 20_000
MAX_ID_CHARS = 1_000
MAX_INTEGER_DIGITS = 100
SKIP_CHUNK_BYTES = 65_536
TEXT_FIELDS = ("title", "text")
OPTIONAL_FIELDS = ("employer", "contact", "salary", "location", "url")


class JsonlError(ValueError):
    """A JSON-lines input or output file that cannot be used; the message names the file and why."""


@dataclass(frozen=True)
class JsonlItem:
    """One valid input item: id, kind and the textual fields given, each cut to MAX_FIELD_CHARS."""

    fields: dict[str, Any]
    truncated: tuple[str, ...] = ()

    @property
    def chars(self) -> int:
        """Characters held (to bound a batch by size as well as by count)."""
        return sum(len(str(value)) for value in self.fields.values())


# ---------------------------------------------------------------- paths


def _os_reason(error: OSError) -> str:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "does not exist"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    return f"cannot be read ({error.strerror or error})"


def check_input_path(path: Path) -> None:
    """Raise JsonlError unless PATH is an existing, readable file (not a directory)."""
    try:
        mode = Path(path).stat().st_mode
    except OSError as error:
        raise JsonlError(f"input file {path} {_os_reason(error)}") from None
    if stat.S_ISDIR(mode):
        raise JsonlError(f"input {path} is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise JsonlError(f"input file {path} cannot be read (permission denied)")


def _stat(path: Path) -> os.stat_result | None:
    """PATH's status, None when nothing is there; other errors (permission denied) pass through."""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None


def check_output_path(path: Path, input_path: Path) -> None:
    """Raise JsonlError unless a file can be written at PATH without touching INPUT_PATH."""
    target = Path(os.path.realpath(path))
    try:
        found, folder, source = _stat(target), _stat(target.parent), _stat(Path(input_path))
    except PermissionError:
        raise JsonlError(f"output folder {path.parent} cannot be entered (permission denied)") from None
    except OSError as error:
        raise JsonlError(f"output {path} cannot be checked ({error.strerror or error})") from None
    if found and stat.S_ISDIR(found.st_mode):
        raise JsonlError(f"output {path} is a directory; name a file in it")
    if folder is None:
        raise JsonlError(f"output folder {path.parent} does not exist")
    if not stat.S_ISDIR(folder.st_mode):
        raise JsonlError(f"output folder {path.parent} is not a folder")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise JsonlError(f"output folder {path.parent} is not writable (permission denied)")
    if found and stat.S_ISREG(found.st_mode) and not os.access(target, os.W_OK):
        raise JsonlError(f"output file {path} is read-only")
    if found and source and (found.st_dev, found.st_ino) == (source.st_dev, source.st_ino):
        raise JsonlError(f"output {path} is the input file; writing it would destroy the input")


@contextmanager
def open_input(path: Path) -> Iterator[IO[bytes]]:
    """The input opened for reading bytes; JsonlError when it cannot be."""
    try:
        handle = Path(path).open("rb")  # noqa: SIM115 - closed below; only the open's error is translated
    except OSError as error:
        raise JsonlError(f"input file {path} {_os_reason(error)}") from None
    with handle:
        yield handle


@contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file that replaces PATH only when the block ends without error.

    The file is written beside PATH under a temporary name, synced, then renamed over it, so a failure
    (or Ctrl-C) leaves PATH as it was. A device or pipe (/dev/null, a named pipe) is written directly.
    """
    target = Path(os.path.realpath(path))
    try:
        if target.exists() and not target.is_file():
            with target.open("w", encoding="utf-8") as out:
                yield out
            return
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies, as for >
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as error:  # reading errors arrive as JsonlError, so this one is the output's
        raise JsonlError(f"output file {path} could not be written: {error.strerror or error}") from None


# ---------------------------------------------------------------- lines


def _skip_rest(handle: IO[bytes]) -> int:
    """Read past the rest of an over-long line in bounded chunks; the bytes skipped (newline excluded)."""
    skipped = 0
    while chunk := handle.readline(SKIP_CHUNK_BYTES):
        skipped += len(chunk.removesuffix(b"\n"))
        if chunk.endswith(b"\n"):
            break
    return skipped


def _lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, content or None when over MAX_LINE_BYTES, size in bytes); a leading UTF-8 BOM dropped."""
    number, limit = 0, MAX_LINE_BYTES + 1 + len(codecs.BOM_UTF8)
    while chunk := handle.readline(limit):
        number, limit = number + 1, MAX_LINE_BYTES + 1
        if number == 1:
            chunk = chunk.removeprefix(codecs.BOM_UTF8)
        content = chunk.removesuffix(b"\n")
        if len(content) <= MAX_LINE_BYTES:
            yield number, content, len(content)
        else:
            yield number, None, len(content) + (0 if chunk.endswith(b"\n") else _skip_rest(handle))


def numbered_items(handle: IO[bytes], path: Path) -> Iterator[tuple[int, JsonlItem | str]]:
    """Each non-blank line's number with its valid item, or with the reason it is refused."""
    lines = _lines(handle)
    while True:
        try:
            number, content, size = next(lines)
        except StopIteration:
            return
        except OSError as error:
            raise JsonlError(f"input file {path} could not be read: {error.strerror or error}") from None
        if content is None:
            yield number, f"the line is {size:,} bytes long, over the limit of {MAX_LINE_BYTES:,}; not read"
        elif content.strip():
            yield number, _item_or_reason(content)


def _item_or_reason(content: bytes) -> JsonlItem | str:
    try:
        return validate_item(content)
    except ValueError as error:
        return str(error)


# ---------------------------------------------------------------- items


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of {len(digits):,} digits (at most {MAX_INTEGER_DIGITS})")
    return int(digits)


def _parse(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 text (invalid byte at position {error.start + 1})") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise ValueError("not valid JSON: nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"not valid JSON: {error}") from None


def describe(value: Any) -> str:
    """A JSON value named by its JSON type, with a short preview for scalars (for error messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}" + ("…" if len(value) > 40 else "")
    return "an array" if isinstance(value, list) else "an object"


def _check_id(item: dict[str, Any]) -> None:
    value = item.get("id")
    wanted = "a non-empty string or an integer"
    if "id" not in item:
        raise ValueError(f"id is missing; it must be {wanted}")
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"id is blank (empty or only spaces); it must be {wanted}")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"id must be {wanted}, not {describe(value)}")
    if isinstance(value, str) and len(value) > MAX_ID_CHARS:
        raise ValueError(f"id is {len(value):,} characters long; at most {MAX_ID_CHARS:,}")


def _check_kind(item: dict[str, Any]) -> None:
    if "kind" not in item:  # every risk type is scored anyway; the kind only groups the batch
        item["kind"] = "job"
    if not isinstance(item["kind"], str) or item["kind"] not in RISK_TYPES_BY_KIND:
        raise ValueError(f"kind must be 'job' or 'marriage', not {describe(item['kind'])}")


def _text_value(item: dict[str, Any], name: str) -> str:
    """The field as text ('' when missing or null); ValueError naming the field when of the wrong type."""
    value = item.get(name)
    if value is None:
        return ""
    if name in TEXT_FIELDS and not isinstance(value, str):
        raise ValueError(f"{name} must be a string or null, not {describe(value)}")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{name} must be a string, a number or null, not {describe(value)}")
    return value if isinstance(value, str) else str(value)


def _check_unicode(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])
        raise ValueError(
            f"{name} holds an unpaired surrogate \\u{code:04x} at character {error.start + 1}"
        ) from None


def validate_item(raw: bytes) -> JsonlItem:
    """The item of one line (only the fields scoring uses, cut to size), or ValueError with the reason."""
    item = _parse(raw)
    if not isinstance(item, dict):
        raise ValueError(f"not a JSON object but {describe(item)}")
    _check_id(item)
    _check_kind(item)
    if isinstance(item["id"], str):
        _check_unicode("id", item["id"])
    fields: dict[str, Any] = {"id": item["id"], "kind": item["kind"]}
    truncated: list[str] = []
    for name in (*TEXT_FIELDS, *OPTIONAL_FIELDS):
        value = _text_value(item, name)
        if len(value) > MAX_FIELD_CHARS:
            value, truncated = value[:MAX_FIELD_CHARS], [*truncated, name]
        _check_unicode(name, value)
        if value:
            fields[name] = value
    if not fields.get("title", "").strip() and not fields.get("text", "").strip():
        raise ValueError("title and text are both empty or missing")
    return JsonlItem(fields, tuple(truncated))
