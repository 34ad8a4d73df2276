"""Evidence bench (issue 12): the risk model on text the project did not generate.

Trains the four risk types the way `labourwatch model train` does (ORFD first for illegal_agency when
../shared/data is there, the synthetic corpus for the rest), then reports:
- on the hand-written challenge set (tests/challenge/*.jsonl), per half and per risk type: ROC-AUC,
  recall, precision and false positives at the task threshold (a task opens at the threshold or when a
  must-inspect rule fires), and how many positives the rules alone catch;
- on real listings from mainstream boards (../shared/data/listings): the share that would open a task;
- the model file's size.
The dev half may be read to develop indicators; the test half is reported, never tuned on.

Run: PYTHONPATH=. python bench/evidence.py [--synthetic 600] [--orfd-limit 0]
The last line printed is a JSON object with every figure.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import track
from rich.table import Table
from sklearn.metrics import roc_auc_score

from risk_model.data.examples import RISK_TYPES
from risk_model.data.hand_written import challenge_half, read_items
from risk_model.model.model_files import ModelBundle, save_bundle
from risk_model.ops.scoring import rule_fired, score_records
from risk_model.training.data_sources import DataPlan, collect_rows_without_db
from risk_model.training.fit import train_one
from store.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CHALLENGE = ROOT / "tests" / "challenge"
LISTINGS = ROOT.parent / "shared" / "data" / "listings"
console = Console()


def challenge_items() -> list[dict[str, Any]]:
    """Every hand-written challenge ad, with its half."""
    return [
        item | {"half": challenge_half(item["id"])}
        for path in sorted(CHALLENGE.glob("*.jsonl"))
        for item in read_items(path)
    ]


def _record(item: dict[str, Any]) -> dict[str, str]:
    return {
        "title": item.get("title", ""),
        "body": item.get("body", ""),
        "company_name": item.get("company_name", ""),
    }


def task_thresholds() -> dict[str, float]:
    """The task thresholds a default installation uses (LABOURWATCH_TASK_THRESHOLD_*)."""
    settings = Settings()
    return {risk: float(getattr(settings, f"task_threshold_{risk}")) for risk in RISK_TYPES}


def opens_task(probability: float, explanation: list[dict[str, Any]], threshold: float) -> bool:
    return probability >= threshold or rule_fired(explanation)


def challenge_figures(bundle: ModelBundle, items: list[dict[str, Any]], half: str) -> dict[str, Any]:
    chosen = [i for i in items if i["half"] == half]
    scored = score_records(bundle, "job", [_record(i) for i in chosen], RISK_TYPES)
    thresholds, out = task_thresholds(), {"ads": len(chosen)}
    for risk in RISK_TYPES:
        y = np.asarray([int(i["labels"][risk]) for i in chosen])
        p = np.asarray([s[risk][0] for s in scored])
        rules = np.asarray([rule_fired(s[risk][1]) for s in scored])
        flag = np.asarray([opens_task(s[risk][0], s[risk][1], thresholds[risk]) for s in scored])
        tp, fp = int((flag & (y == 1)).sum()), int((flag & (y == 0)).sum())
        out[risk] = {
            "positives": int(y.sum()),
            "roc_auc": round(float(roc_auc_score(y, p)), 4) if 0 < y.sum() < len(y) else None,
            "recall": round(tp / max(int(y.sum()), 1), 4),
            "precision": round(tp / max(tp + fp, 1), 4),
            "false_positives": fp,
            "rule_hits_on_positives": int((rules & (y == 1)).sum()),
            "threshold": thresholds[risk],
        }
    return out


def _rows(path: Path, encoding: str) -> Iterator[dict[str, str]]:
    csv.field_size_limit(10**8)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}


# Each board's file and which of its columns are the title, the description and the company.
BOARDS = {
    "zhaopin_jiangsu_2022": (
        "*.csv",
        "utf-8",
        "name",
        ("jobSummary", "skillLabel", "welfareLabel"),
        "companyName",
    ),
    "51job_2019_gb18030": ("51job.csv", "gb18030", "职位", ("岗位信息", "薪资"), "公司"),
    "51job_2023": ("output_job_51job.csv", "utf-8", "jobName", ("tags", "salary"), "companyName"),
    "lagou_2018_gbk": ("lagou.csv", "gbk", "positionName", ("month_salary", "companyField"), "companyName"),
    "boss_nanjing_2024": ("boss.csv", "utf-8", "job_name", ("need", "company_info", "salary"), "company"),
}


def real_listings() -> dict[str, list[dict[str, str]]]:
    """Records from the real boards under ../shared/data/listings (header rows repeated inside are skipped)."""
    out: dict[str, list[dict[str, str]]] = {}
    for board, (pattern, encoding, title, body, company) in BOARDS.items():
        records = []
        for path in sorted((LISTINGS / board).glob(pattern)):
            for row in _rows(path, encoding):
                if row.get(title) and row.get(title) != title:
                    text = "\n".join(row.get(key, "") for key in body if row.get(key))
                    records.append({"title": row[title], "body": text, "company_name": row.get(company, "")})
        out[board] = records
    return out


def real_figures(bundle: ModelBundle) -> dict[str, Any]:
    thresholds, out = task_thresholds(), {}
    for board, records in real_listings().items():
        opened = 0
        for start in track(range(0, len(records), 500), description=f"scoring {board}", console=console):
            for scored in score_records(bundle, "job", records[start : start + 500], RISK_TYPES):
                opened += any(opens_task(p, e, thresholds[r]) for r, (p, e) in scored.items())
        out[board] = {
            "listings": len(records),
            "open_task": opened,
            "share": round(opened / max(len(records), 1), 4),
        }
    total = sum(b["listings"] for b in out.values())
    out["all"] = {
        "listings": total,
        "share": round(sum(b["open_task"] for b in out.values()) / max(total, 1), 4),
    }
    return out


def show_errors(bundle: ModelBundle, items: list[dict[str, Any]]) -> None:
    """Print the development half's misses and false positives (never the test half's)."""
    chosen = [i for i in items if i["half"] == "dev"]
    scored = score_records(bundle, "job", [_record(i) for i in chosen], RISK_TYPES)
    thresholds = task_thresholds()
    for risk in RISK_TYPES:
        for item, result in zip(chosen, scored, strict=True):
            opened = opens_task(result[risk][0], result[risk][1], thresholds[risk])
            if opened != bool(item["labels"][risk]):
                text = (item.get("title", "") + " | " + item["body"]).replace("\n", " ")[:110]
                tag = "漏报" if item["labels"][risk] else "误报"
                console.print(f"{risk} {tag} {item['id']} {result[risk][0]:.2f} {text}", markup=False)


def main(synthetic: int = 600, orfd_limit: int = 0, seed: int = 2014, show_dev_errors: bool = False) -> None:
    plan = DataPlan(synthetic_per_kind=synthetic, orfd_limit=orfd_limit, seed=seed)
    data = collect_rows_without_db(plan)
    models = {}
    for risk in track(RISK_TYPES, description="training", console=console):
        models[risk] = train_one(data[risk], risk, seed).model
    bundle = ModelBundle("bench-evidence", models)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.skops"
        save_bundle(bundle, path)
        size_mb = path.stat().st_size / 2**20
    items = challenge_items()
    if show_dev_errors:
        show_errors(bundle, items)
    figures: dict[str, Any] = {
        "challenge": {half: challenge_figures(bundle, items, half) for half in ("dev", "test")},
        "model_file_mb": round(size_mb, 2),
        "training_rows": {risk: len(rows) for risk, rows in data.items()},
    }
    if LISTINGS.exists():
        figures["real_listings"] = real_figures(bundle)
    table = Table(title="挑战集（测试半）：各风险类型")
    for column in ("风险类型", "正例", "ROC-AUC", "召回率", "精确率", "误报", "规则命中"):
        table.add_column(column)
    for risk in RISK_TYPES:
        f = figures["challenge"]["test"][risk]
        table.add_row(
            risk,
            str(f["positives"]),
            str(f["roc_auc"]),
            str(f["recall"]),
            str(f["precision"]),
            str(f["false_positives"]),
            str(f["rule_hits_on_positives"]),
        )
    console.print(table)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    typer.run(main)
