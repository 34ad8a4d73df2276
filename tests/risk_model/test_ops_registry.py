"""Training a candidate, automatic first promotion, the regression gate, forced promotion, rollback, tampering."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import skops.io as sio
from sqlalchemy import select
from sqlmodel import Session

from risk_model.model.model_files import ModelBundle, UnsafeModelError, load_bundle, model_path, save_bundle
from risk_model.ops.compare import model_compare
from risk_model.ops.registry import PromotionError, champion, load_champion, model_promote, model_rollback
from risk_model.ops.scoring import score_listings
from risk_model.ops.train import model_train
from store.audit import audit_verify
from store.models import AuditEvent, ModelVersion, RiskScore
from tests.risk_model.ops_support import noisy, pretrained, register, small_settings
from tests.rows import make_finding, make_listing, make_source


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_train_records_a_candidate_and_the_first_one_is_promoted(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    first = model_train(session, settings=settings)
    assert first.status == "champion" and first.promoted_at is not None
    assert model_path(settings, first.file_path).is_file()
    assert first.file_path.startswith("models/") and len(first.sha256) == 64
    assert set(first.metrics) == {
        "illegal_agency",
        "child_labour",
        "forced_labour",
        "illegal_marriage_broker",
    }
    assert 0.5 < first.metrics["child_labour"]["roc_auc"] <= 1.0
    counts = first.training["provenance_counts"]
    assert counts["child_labour"] == {"synthetic": 160}
    assert counts["illegal_marriage_broker"] == {"synthetic": 160}
    assert first.library_versions["sklearn"] and first.code_version
    assert [e.details["auto_first"] for e in _events(session, "model.promote")] == [True]

    second = register(session, settings)
    assert second.status == "candidate"  # only the very first model is promoted without asking
    assert champion(session).id == first.id


def test_promotion_refuses_a_regressing_candidate_unless_forced_with_a_reason(
    session: Session, tmp_path: Path
) -> None:
    settings = small_settings(tmp_path)
    good = register(session, settings)
    model_promote(session, version=good.version, actor="tester", settings=settings)
    bad = register(session, settings, noisy())

    with pytest.raises(PromotionError, match="regresses") as refused:
        model_promote(session, version=bad.version, actor="tester", settings=settings)
    assert "roc_auc" in str(refused.value)
    assert champion(session).id == good.id
    with pytest.raises(PromotionError, match="reason"):
        model_promote(session, version=bad.version, actor="tester", settings=settings, force_reason="  ")

    model_promote(session, version=bad.version, actor="tester", settings=settings, force_reason="drill")
    assert champion(session).id == bad.id
    forced = _events(session, "model.promote")[-1]
    assert forced.details["forced"] is True and forced.details["reason"] == "drill"
    assert forced.details["regressions"] and forced.actor == "tester"
    assert audit_verify(session).ok


def test_a_higher_tolerance_lets_the_same_candidate_through(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path, model_promotion_tolerance=1.0)
    register_and_promote = register(session, settings)
    model_promote(session, version=register_and_promote.version, actor="t", settings=settings)
    bad = register(session, settings, noisy())
    model_promote(session, version=bad.version, actor="t", settings=settings)
    assert champion(session).id == bad.id


def test_rollback_restores_the_previous_champion_and_scoring_uses_it(
    session: Session, tmp_path: Path
) -> None:
    settings = small_settings(tmp_path)
    first = register(session, settings)
    model_promote(session, version=first.version, actor="t", settings=settings)
    second = register(session, settings)
    model_promote(session, version=second.version, actor="t", settings=settings)
    listing = make_listing(session, make_source(session), "a", "招聘普工，年满14周岁即可，交押金300元")
    score_listings(session, settings=settings)

    restored = model_rollback(session, actor="t", settings=settings)
    assert restored.id == first.id and champion(session).id == first.id
    assert session.get(ModelVersion, second.id).status == "retired"
    assert _events(session, "model.rollback")[-1].details["restored"] == first.version
    run = score_listings(session, settings=settings)
    assert run.model_version == first.version and run.listings == 1
    by_version = {
        s.model_version_id
        for s in session.execute(select(RiskScore).where(RiskScore.listing_id == listing.id)).scalars()
    }
    assert by_version == {first.id, second.id}  # the old scores keep the version that made them
    with pytest.raises(PromotionError, match="no previous champion"):
        model_rollback(session, actor="t", settings=settings)


def test_a_tampered_model_file_refuses_to_load(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    version = register(session, settings)
    model_promote(session, version=version.version, actor="t", settings=settings)
    load_champion(session, settings)  # loads while intact
    path = model_path(settings, version.file_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(UnsafeModelError, match="SHA-256 mismatch"):
        load_champion(session, settings)
    with pytest.raises(UnsafeModelError):
        score_listings(session, settings=settings)


class Smuggled:
    """A type outside the allow-list."""


def test_a_bundle_with_a_foreign_type_refuses_even_with_the_right_hash(tmp_path: Path) -> None:
    path = tmp_path / "evil.skops"
    sio.dump({"format": "labourwatch.model-bundle/1", "models": {"x": Smuggled()}}, path)
    from risk_model.model.model_files import sha256_bytes

    with pytest.raises(UnsafeModelError, match="allow-list"):
        load_bundle(path, expected_sha256=sha256_bytes(path.read_bytes()))
    good = tmp_path / "good.skops"
    digest = save_bundle(ModelBundle("t", {r: t.model for r, t in pretrained().items()}), good)
    assert set(load_bundle(good, expected_sha256=digest).models) == set(pretrained())


class Payload:
    """Loading this runs code: unpickling calls Path.write_text, skops's setstate writes the same file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (Path(self.marker), "ran"))

    def __getstate__(self) -> dict[str, str]:
        return {"marker": self.marker}

    def __setstate__(self, state: dict[str, str]) -> None:
        Path(state["marker"]).write_text("ran")


def _payload_files(folder: Path, marker: Path) -> tuple[Path, Path]:
    """A pickle and a skops file shaped like a bundle, each carrying a Payload that writes MARKER."""
    folder.mkdir()
    content = {"format": "labourwatch.model-bundle/1", "models": Payload(marker)}
    pickled, skops_file = folder / "pickled.skops", folder / "object.skops"
    pickled.write_bytes(pickle.dumps(content))
    sio.dump(content, skops_file)
    return pickled, skops_file


def test_load_bundle_refuses_payloads_that_would_run_code_and_runs_none(tmp_path: Path) -> None:
    from risk_model.model.model_files import sha256_bytes

    live_pickle, live_skops = _payload_files(tmp_path / "live", tmp_path / "live.marker")
    pickle.loads(live_pickle.read_bytes())  # the payloads are real: loaded unchecked, they run
    assert (tmp_path / "live.marker").read_text() == "ran"
    (tmp_path / "live.marker").unlink()
    sio.load(live_skops, trusted=sio.get_untrusted_types(file=live_skops))
    assert (tmp_path / "live.marker").read_text() == "ran"

    marker = tmp_path / "evil.marker"
    pickled, skops_file = _payload_files(tmp_path / "evil", marker)
    with pytest.raises(UnsafeModelError, match="not a readable skops model file"):
        load_bundle(pickled, expected_sha256=sha256_bytes(pickled.read_bytes()))
    with pytest.raises(UnsafeModelError, match="outside the allow-list"):
        load_bundle(skops_file, expected_sha256=sha256_bytes(skops_file.read_bytes()))
    with pytest.raises(UnsafeModelError, match="SHA-256 mismatch"):  # checked before anything is parsed
        load_bundle(pickled, expected_sha256="0" * 64)
    assert not marker.exists()


def test_compare_uses_the_same_hold_out_and_reports_slices_and_bias(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    good = register(session, settings)
    bad = register(session, settings, noisy())
    source = make_source(session)
    for index, origin in enumerate(["model", "model", "audit"]):
        listing = make_listing(session, source, f"f{index}", f"招聘普工{index}，入职交押金{index}00元")
        make_finding(
            session,
            listing,
            {"illegal_agency": int(origin == "model")},
            risk_type="illegal_agency",
            origin=origin,
        )

    result = model_compare(session, candidate=bad, champion=good, settings=settings)
    child = result["risk_types"]["child_labour"]
    assert child["champion"]["overall"]["n_test"] == child["candidate"]["overall"]["n_test"] > 0
    # Legal priors rank the corpus well even for a shuffled model; its calibration still shows.
    assert child["champion"]["overall"]["roc_auc"] >= child["candidate"]["overall"]["roc_auc"]
    assert child["champion"]["overall"]["brier"] <= child["candidate"]["overall"]["brier"]
    assert set(result["risk_types"]["illegal_agency"]["champion"]["by_source"]) >= {"synthetic"}
    bias = result["bias"]["illegal_agency"]
    assert bias["model"]["labels"] == 2 and bias["audit"]["labels"] == 1
    assert bias["model"]["confirmed_rate"] == 1.0 and bias["audit"]["confirmed_rate"] == 0.0
    assert abs(bias["model"]["share"] - 2 / 3) < 1e-9


def test_a_model_fitted_to_another_indicator_set_is_refused_as_stale(tmp_path: Path) -> None:
    import copy

    from risk_model.model.model_files import StaleModelError

    models = {risk: copy.deepcopy(t.model) for risk, t in pretrained().items()}
    block = dict(models["child_labour"].base.named_steps["features"].transformer_list)["indicators"]
    block.feature_names_ = [*block.feature_names_[:-1], "an_indicator_since_removed"]
    path = tmp_path / "old.skops"
    digest = save_bundle(ModelBundle("old", models), path)
    with pytest.raises(StaleModelError, match=r"child_labour.*an_indicator_since_removed.*model train"):
        load_bundle(path, expected_sha256=digest)
    # An older file without recorded names is checked by its width.
    del block.feature_names_
    models["child_labour"].base.named_steps["clf"].coef_ = (
        models["child_labour"].base.named_steps["clf"].coef_[:, :-1]
    )
    digest = save_bundle(ModelBundle("older", models), path)
    with pytest.raises(StaleModelError, match="feature columns"):
        load_bundle(path, expected_sha256=digest)


def test_training_replaces_a_champion_this_code_cannot_run(session: Session, tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    old = register(session, settings)
    model_promote(session, version=old.version, actor="t", settings=settings)
    model_path(settings, old.file_path).write_bytes(b"not the promoted file")
    new = model_train(session, settings=settings)
    assert new.status == "champion" and champion(session).id == new.id
    event = _events(session, "model.promote")[-1]
    assert event.details["version"] == new.version and event.details["previous"] == old.version
    assert "cannot be used" in event.details["reason"] and "SHA-256" in event.details["reason"]
    load_champion(session, settings)
