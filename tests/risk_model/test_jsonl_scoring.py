"""JSON-lines scoring against hostile input: limits, precise reasons, BOM, paths, output replaced atomically."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from risk_model.data.jsonl_files import (
    MAX_FIELD_CHARS,
    MAX_LINE_BYTES,
    JsonlError,
    JsonlItem,
    numbered_items,
    validate_item,
)
from risk_model.model.model_files import ModelBundle
from risk_model.ops.jsonl_scoring import MAX_REPORTED_ERRORS, JsonlReport, _batches, score_jsonl
from tests.risk_model.ops_support import pretrained_bundle

RISKY = "电子厂招普工，年满14周岁即可，包吃包住，入职交押金500元，身份证统一保管"
VALID = {"id": "a", "kind": "job", "title": "招工", "text": RISKY}


def _line(**fields: object) -> str:
    return json.dumps(VALID | fields, ensure_ascii=False)


def _write(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _output(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (_line(id=1.5), "id must be a non-empty string or an integer, not the number 1.5"),
        (_line(id=[1]), "id must be a non-empty string or an integer, not an array"),
        (_line(id=True), "id must be a non-empty string or an integer, not the boolean true"),
        (_line(id=None), "id must be a non-empty string or an integer, not null"),
        (_line(id=" "), "id is blank (empty or only spaces)"),
        (
            json.dumps({"kind": "job", "text": "t"}),
            "id is missing; it must be a non-empty string or an integer",
        ),
        (_line(id="x" * 1001), "id is 1,001 characters long; at most 1,000"),
        (_line(kind=3), "kind must be 'job' or 'marriage', not the number 3"),
        (_line(kind="ship"), "kind must be 'job' or 'marriage', not the string 'ship'"),
        (_line(title=5), "title must be a string or null, not the number 5"),
        (_line(text={"a": 1}), "text must be a string or null, not an object"),
        (_line(contact={"phone": 1}), "contact must be a string, a number or null, not an object"),
        (_line(salary=False), "salary must be a string, a number or null, not the boolean false"),
        (_line(title=None, text=" "), "title and text are both empty or missing"),
        (json.dumps(["a", "list"]), "not a JSON object but an array"),
        (
            '{"id": "a", "kind": "job", "text": "t", "salary": NaN}',
            "not valid JSON: NaN is not a JSON number",
        ),
        ('{"id": ' + "9" * 5000 + "}", "not valid JSON: an integer of 5,000 digits (at most 100)"),
        ("[" * 100_000, "not valid JSON: nested too deeply"),
        (
            '{"id": "\\ud800", "kind": "job", "text": "t"}',
            "id holds an unpaired surrogate \\ud800 at character 1",
        ),
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes at column 2"),
    ],
)
def test_every_refusal_says_what_is_wrong(raw: str, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        validate_item(raw.encode())
    assert str(refused.value).startswith(reason)


def test_null_and_missing_fields_mean_the_same() -> None:
    nulls = {name: None for name in ("title", "employer", "contact", "salary", "location", "url")}
    with_nulls = validate_item(_line(**nulls).encode())
    without = validate_item(json.dumps({"id": "a", "kind": "job", "text": RISKY}).encode())
    assert with_nulls == without
    assert validate_item(_line(salary=5000, junk="x" * 100).encode()).fields["salary"] == "5000"
    assert "junk" not in validate_item(_line(junk="x").encode()).fields  # only the fields scoring uses


def test_a_line_over_the_limit_is_reported_with_its_size_and_read_in_bounded_chunks(tmp_path: Path) -> None:
    at_limit = _line().encode().ljust(MAX_LINE_BYTES)  # trailing spaces are valid JSON
    huge = b'{"text": "' + b"x" * (25 * MAX_LINE_BYTES) + b'"}'
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([at_limit, at_limit + b" ", huge, _line(id="b").encode()]))
    tracemalloc.start()
    with path.open("rb") as handle:
        items = list(numbered_items(handle, path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [number for number, _ in items] == [1, 2, 3, 4]
    assert isinstance(items[0][1], JsonlItem) and isinstance(items[3][1], JsonlItem)
    assert items[1][1] == "the line is 1,000,001 bytes long, over the limit of 1,000,000; not read"
    assert items[2][1] == f"the line is {len(huge):,} bytes long, over the limit of 1,000,000; not read"
    assert peak < 10 * MAX_LINE_BYTES  # a few copies of a 1 MB line at most; the 25 MB one never whole


def test_long_fields_are_cut_before_scoring_and_the_output_says_so(tmp_path: Path) -> None:
    long_text = (RISKY * 1000)[: MAX_FIELD_CHARS + 5000]
    source = _write(
        tmp_path / "in.jsonl",
        _line(id="long", text=long_text),
        _line(id="cut", text=long_text[:MAX_FIELD_CHARS]),
    )
    target = tmp_path / "out.jsonl"
    report = score_jsonl(source, target, pretrained_bundle())
    assert (report.scored, report.truncated) == (2, 1)
    long, cut = _output(target)
    assert long["truncated"] == ["text"] and cut["truncated"] == []
    assert long["probabilities"] == cut["probabilities"]


def test_a_byte_order_mark_at_the_start_is_accepted(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + (_line() + "\n" + _line(id="b") + "\n").encode())
    target = tmp_path / "out.jsonl"
    report = score_jsonl(source, target, pretrained_bundle())
    assert (report.scored, report.errors) == (2, [])
    assert [o["id"] for o in _output(target)] == ["a", "b"]


def test_only_the_first_errors_are_kept_but_all_are_counted(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _line(), *["{"] * (MAX_REPORTED_ERRORS + 5))
    report = score_jsonl(source, tmp_path / "out.jsonl", pretrained_bundle())
    assert (report.scored, report.invalid, len(report.errors)) == (
        1,
        MAX_REPORTED_ERRORS + 5,
        MAX_REPORTED_ERRORS,
    )
    assert report.errors[-1][0] == MAX_REPORTED_ERRORS + 1


def test_batches_are_bounded_by_characters_as_well_as_by_count() -> None:
    items = [(n, JsonlItem({"id": n, "kind": "job", "text": "x" * 1_000_000})) for n in range(5)]
    batches = list(_batches(iter(items), JsonlReport(), batch_size=500))
    assert [len(b) for b in batches] == [2, 2, 1]
    small = [(n, JsonlItem({"id": n, "kind": "job", "text": "x"})) for n in range(5)]
    assert [len(b) for b in _batches(iter(small), JsonlReport(), batch_size=2)] == [2, 2, 1]


def test_a_failed_run_leaves_the_old_output_and_no_temporary_file(tmp_path: Path) -> None:
    jobs_only = pretrained_bundle()
    jobs_only = ModelBundle(
        "jobs", {r: m for r, m in jobs_only.models.items() if r != "illegal_marriage_broker"}
    )
    source = _write(tmp_path / "in.jsonl", _line(), _line(id="m", kind="marriage", text="越南新娘包成功"))
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(KeyError):  # the marriage batch fails after the job batch was written
        score_jsonl(source, target, jobs_only, batch_size=1)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_a_finished_run_replaces_the_output_with_the_usual_permissions(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _line())
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    score_jsonl(source, target, pretrained_bundle())
    assert [o["id"] for o in _output(target)] == ["a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_devices_are_written_directly_and_a_full_disk_is_one_clear_error(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _line())
    assert score_jsonl(source, Path("/dev/null"), pretrained_bundle()).scored == 1
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with pytest.raises(JsonlError, match=r"output file /dev/full could not be written: No space left"):
        score_jsonl(source, Path("/dev/full"), pretrained_bundle())


def test_bad_paths_are_refused_before_anything_is_read_or_written(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _line())
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    bundle = pretrained_bundle()
    cases = {
        (tmp_path, tmp_path / "o"): f"input {tmp_path} is a directory, not a file",
        (tmp_path / "no.jsonl", tmp_path / "o"): f"input file {tmp_path / 'no.jsonl'} does not exist",
        (source, tmp_path / "no" / "o"): f"output folder {tmp_path / 'no'} does not exist",
        (source, source / "o"): f"output folder {source} is not a folder",
        (source, tmp_path): f"output {tmp_path} is a directory; name a file in it",
        (source, source): f"output {source} is the input file",
        (source, link): f"output {link} is the input file",
    }
    for (input_path, output_path), message in cases.items():
        with pytest.raises(JsonlError) as refused:
            score_jsonl(input_path, output_path, bundle)
        assert str(refused.value).startswith(message), str(refused.value)
    assert source.read_text(encoding="utf-8") == _line() + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "link.jsonl"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_input_is_named(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _line())
    source.chmod(0)
    with pytest.raises(JsonlError, match=r"cannot be read \(permission denied\)"):
        score_jsonl(source, tmp_path / "out.jsonl", pretrained_bundle())
