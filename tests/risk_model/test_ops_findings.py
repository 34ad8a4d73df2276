"""Inspection findings become training examples with provenance, and change the next candidate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from risk_model.ops.registry import model_promote
from risk_model.ops.train import model_train
from risk_model.training.data_sources import DataPlan, collect_training_data
from tests.conftest import require_real_data
from tests.risk_model.ops_support import register, small_settings
from tests.rows import make_finding, make_listing, make_source


def _finding_examples(session: Session, tmp_path: Path) -> dict[str, list]:  # type: ignore[type-arg]
    data = collect_training_data(session, DataPlan.from_settings(small_settings(tmp_path)))
    return {risk: [r for r in rows if r.source == "finding"] for risk, rows in data.items()}


def test_a_finding_labels_the_task_listing_for_the_risk_types_of_its_kind(
    session: Session, tmp_path: Path
) -> None:
    jobs, brides = make_source(session), make_source(session, "demo-marriage", "marriage")
    job = make_listing(session, jobs, "j1", "急招普工，包吃住，交押金500元", employer="某某劳务")
    bride = make_listing(session, brides, "m1", "越南新娘包成功，服务费6万")
    finding = make_finding(
        session,
        job,
        {"illegal_agency": 1, "child_labour": 0, "illegal_marriage_broker": 1},
        risk_type="illegal_agency",
    )
    make_finding(
        session, bride, {"illegal_marriage_broker": 1}, risk_type="illegal_marriage_broker", origin="audit"
    )

    found = _finding_examples(session, tmp_path)
    agency = found["illegal_agency"][0]
    assert agency.example.provenance == f"finding:{finding.id}"
    assert agency.example.label == 1 and agency.example.weight == 3.0
    assert "押金" in agency.example.body and agency.example.company_name == "某某劳务"
    assert agency.region == "320500" and agency.origin == "model"
    assert [r.example.label for r in found["child_labour"]] == [0]
    # the job listing's marriage label is ignored: marriage risk is scored on marriage listings only
    assert [(r.example.example_id, r.origin) for r in found["illegal_marriage_broker"]] == [
        (f"listing:{bride.id}", "audit")
    ]


def test_the_latest_finding_on_a_listing_wins(session: Session, tmp_path: Path) -> None:
    listing = make_listing(session, make_source(session), "j1", "招聘会计，五险一金")
    make_finding(session, listing, {"illegal_agency": 1}, risk_type="illegal_agency")
    later = make_finding(session, listing, {"illegal_agency": 0}, risk_type="illegal_agency")
    (only,) = _finding_examples(session, tmp_path)["illegal_agency"]
    assert only.example.label == 0 and only.example.provenance == f"finding:{later.id}"


def test_a_finding_changes_the_next_candidate(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    before = register(session, settings)
    model_promote(session, version=before.version, actor="t", settings=settings)
    listing = make_listing(
        session, make_source(session), "j1", "电子厂招小工，14岁以上即可，身份证由公司保管"
    )
    finding = make_finding(
        session, listing, {"illegal_agency": 1, "child_labour": 1}, risk_type="child_labour"
    )

    after = model_train(session, settings=settings)
    assert after.status == "candidate"  # a champion exists, so no automatic promotion
    assert after.data_fingerprint != before.data_fingerprint
    assert (
        after.training["data_fingerprints"]["illegal_marriage_broker"]
        == before.training["data_fingerprints"]["illegal_marriage_broker"]
    )
    used = {(e["risk_type"], e["provenance"], e["label"]) for e in after.training["finding_examples"]}
    assert used == {
        ("illegal_agency", f"finding:{finding.id}", 1),
        ("child_labour", f"finding:{finding.id}", 1),
    }
    assert after.training["provenance_counts"]["child_labour"] == {"synthetic": 160, "finding": 1}
    # findings stay in training while they are few: one more training example than before
    assert after.training["n_train"]["child_labour"] == before.training["n_train"]["child_labour"] + 1


@pytest.mark.parametrize(
    ("mode", "orfd_limit", "corpus"),
    [("auto", 150, True), ("auto", 0, False), ("never", 150, False), ("always", 0, True)],
)
def test_illegal_agency_learns_from_the_corpus_only_without_enough_real_fakes(
    session: Session, tmp_path: Path, mode: str, orfd_limit: int, corpus: bool
) -> None:
    from risk_model.data.orfd import DEFAULT_PATH as ORFD

    if mode != "always":
        require_real_data(ORFD, "ORFD")
    settings = small_settings(tmp_path, model_agency_corpus=mode, model_orfd_limit=orfd_limit)
    data = collect_training_data(session, DataPlan.from_settings(settings))
    sources = {row.source for row in data["illegal_agency"]}
    assert ("synthetic" in sources) is corpus
    assert {row.source for row in data["child_labour"]} == {"synthetic"}  # no real data there
