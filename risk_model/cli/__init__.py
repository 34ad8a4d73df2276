"""`labourwatch model ...`: train, evaluate, promote, rollback, compare, score, list, card, drift.

This is the command table, in the order `--help` lists it; each command lives in the module of its group
(train_commands, version_commands, score_commands, report_commands).
"""

from __future__ import annotations

from risk_model.cli.report_commands import card_cmd, drift_cmd
from risk_model.cli.score_commands import score_cmd
from risk_model.cli.train_commands import evaluate_cmd, train_cmd
from risk_model.cli.version_commands import compare_cmd, list_cmd, promote_cmd, rollback_cmd
from store.cli import new_app

model_app = new_app("Risk models: train, evaluate, promote, roll back, compare, score, model cards, drift.")

model_app.command("train")(train_cmd)
model_app.command("evaluate")(evaluate_cmd)
model_app.command("promote")(promote_cmd)
model_app.command("rollback")(rollback_cmd)
model_app.command("compare")(compare_cmd)
model_app.command("score")(score_cmd)
model_app.command("list")(list_cmd)
model_app.command("card")(card_cmd)
model_app.command("drift")(drift_cmd)
