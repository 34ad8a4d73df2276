"""Label-consistency audit: exact figures on a hand-made set, and the ORFD annotation effect on real data."""

from __future__ import annotations

import pytest

from risk_model.data.examples import RECORD_FIELDS
from risk_model.data.orfd import DEFAULT_PATH as ORFD
from risk_model.data.orfd import load_orfd
from risk_model.training.label_audit import audit_labels, audit_orfd
from tests.conftest import needs_real_data

realdata = needs_real_data(ORFD, "ORFD")


def test_audit_counts_pairs_batches_and_oracles_exactly() -> None:
    # group a: 3 near-duplicates, one batch, one fake (2 of 3 pairs disagree);
    # group b: 2 near-duplicates in two batches, labelled differently; group c: one real ad.
    labels = [1, 0, 0, 1, 0, 0]
    groups = ["a", "a", "a", "b", "b", "c"]
    batches = ["f1", "f1", "f1", "f1", "f2", "f2"]
    companies = ["x", "x", "x", "y", "y", "z"]
    disputed = [True, False, False, False, False, False]
    audit = audit_labels(labels, groups, batches, companies, disputed)
    assert (audit.rows, audit.positives, audit.disputed_positives, audit.groups) == (6, 2, 1, 3)
    assert [(b.batch, b.rows, b.positives) for b in audit.batches] == [("f1", 4, 2), ("f2", 2, 0)]
    assert (audit.same_batch_pairs.pairs, audit.same_batch_pairs.disagree) == (3, 2)
    assert (audit.cross_batch_pairs.pairs, audit.cross_batch_pairs.disagree) == (1, 1)
    assert audit.cross_batch_pairs_with_positive.rate == 1.0
    assert (audit.mixed_groups, audit.positives_in_mixed_groups) == (2, 2)
    # company y: fake share 1.0 in f1, 0.0 in f2
    assert (audit.companies_in_several_batches, audit.companies_split_by_batch) == (1, 1)
    # Both oracles score groups a/x at 1/3 and b/y at 1/2: the two fakes rank 1-2 and 3-5.
    assert audit.group_oracle_ap == pytest.approx(audit.company_oracle_ap)
    assert 0.4 < audit.group_oracle_ap < 0.6
    figures = audit.as_dict()
    assert figures["batches"]["f1"] == {"rows": 4, "positives": 2, "rate": 0.5}


def test_audit_refuses_misaligned_inputs() -> None:
    with pytest.raises(ValueError, match="one entry per row"):
        audit_labels([1, 0], ["a"], ["f"], ["x"], [False])


def test_consistent_labels_give_perfect_oracles() -> None:
    audit = audit_labels(
        [1, 1, 0, 0], ["a", "a", "b", "b"], ["f1", "f2", "f1", "f2"], ["x", "x", "y", "y"], [False] * 4
    )
    assert audit.cross_batch_pairs.disagree == 0 and audit.group_oracle_ap == 1.0


@realdata
@pytest.mark.realdata
def test_orfd_annotation_provenance_is_kept_but_never_a_feature() -> None:
    example = load_orfd(limit=5)[0]
    assert example.fields["orfd_file"].endswith(".xls")
    assert example.fields["orfd_label_raw"] in {"1.0", "0.0", "0.5", "2.0", "11.0"}
    assert not {"orfd_file", "orfd_label_raw"} & set(RECORD_FIELDS)
    assert "orfd_file" not in example.record() and "orfd_label_raw" not in example.record()


@realdata
@pytest.mark.realdata
def test_orfd_near_duplicates_disagree_more_across_annotation_files() -> None:
    audit = audit_orfd(load_orfd())
    assert (audit.rows, audit.positives, audit.disputed_positives) == (7392, 434, 113)
    assert len(audit.batches) == 12
    # The annotation effect the model cannot see: near-duplicates labelled by different annotators
    # disagree several times as often as those labelled together.
    assert audit.cross_batch_pairs.rate > 3 * audit.same_batch_pairs.rate
    assert audit.company_oracle_ap < 0.9
