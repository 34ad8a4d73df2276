"""ORFD label audit: how consistently were near-identical ads labelled? No model is trained.

Run: PYTHONPATH=. python bench/orfd_labels.py
Prints the positive rate of each annotators' file, how often near-duplicate ads disagree when labelled in
the same file and in different files, companies whose labels change with the file, and two oracle
ceilings. The last line printed is a JSON object with every figure.
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from risk_model.data.orfd import load_orfd
from risk_model.training.label_audit import audit_orfd


def main() -> None:
    """Audit the labels of every usable labelled ORFD row and print the figures."""
    console = Console()
    audit = audit_orfd(load_orfd())
    console.print(
        f"{audit.rows} labelled rows, {audit.positives} fake ({audit.disputed_positives} disputed: the two "
        f"annotators did not agree), {audit.groups} near-duplicate groups"
    )
    files = Table(title="fake share per annotators' file")
    for column in ("file", "rows", "fake", "share"):
        files.add_column(column, justify="right")
    for batch in audit.batches:
        files.add_row(batch.batch, str(batch.rows), str(batch.positives), f"{batch.rate:.3f}")
    console.print(files)
    pairs = Table(title="near-duplicate ad pairs whose labels disagree")
    for column in ("pairs", "same file", "different files", "ratio"):
        pairs.add_column(column, justify="right")
    for name, same, cross in (
        ("all pairs", audit.same_batch_pairs, audit.cross_batch_pairs),
        ("pairs with a fake", audit.same_batch_pairs_with_positive, audit.cross_batch_pairs_with_positive),
    ):
        ratio = f"{cross.rate / same.rate:.1f}x" if same.rate else "-"
        pairs.add_row(
            name,
            f"{same.disagree}/{same.pairs} = {same.rate:.3f}",
            f"{cross.disagree}/{cross.pairs} = {cross.rate:.3f}",
            ratio,
        )
    console.print(pairs)
    console.print(
        f"near-duplicate groups holding both labels: {audit.mixed_groups}, with "
        f"{audit.positives_in_mixed_groups} of the {audit.positives} fakes\n"
        f"companies labelled in several files: {audit.companies_in_several_batches}; fake share differs by "
        f"0.5 or more between files for {audit.companies_split_by_batch}\n"
        f"oracle AP, near-duplicate group's fake share: {audit.group_oracle_ap:.3f}; "
        f"company's fake share: {audit.company_oracle_ap:.3f}"
    )
    print(json.dumps(audit.as_dict(), ensure_ascii=False))


if __name__ == "__main__":
    typer.run(main)
