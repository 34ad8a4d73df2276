"""Dashboard tallies: counts of tasks and findings kept by the database as they change.

A province's dashboard sums a few hundred tally rows instead of reading its 100,000 tasks. Triggers on
``inspection_task`` and ``finding`` append signed rows to ``dashboard_tally`` (+1 for what a row now
counts in, -1 for what it no longer counts in); they only ever INSERT, so two transactions that touch
tasks of the same region never wait on one another (a 20-minute ``tasks generate`` run would otherwise
hold the lock of every region's counter). :func:`compact` folds the rows into one per key. The
dashboard sums whatever is there, so it is exact before and after compaction.

What a task counts in (each a ``kind`` and a ``key`` per agency and county):

- ``status``: its status;
- ``created``: the Beijing week (its Monday, ISO date) it was created in;
- ``closed``: for a closed task, the Beijing week of its last change (closing is the last change);
- ``due``: for a task that can be overdue (not closed, no finding waiting for review), its due Beijing day.

A finding with a violation other than ``no_violation`` counts in ``violation`` under the Beijing week it
was recorded in, with its task's agency and county; moving a task to another county or agency moves
its findings' counts with it.

The definitions are written once (:data:`_TASK_KINDS`) and turned into the triggers of both dialects,
the initial fill of migration 0010 and :func:`drift`, which tests compare against.

SQLite drops a table's triggers when a batch migration rebuilds the table: a migration that
batch-alters ``inspection_task`` or ``finding`` must call :func:`create_triggers` again
(``tests/store/test_tallies.py`` checks the head schema has them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from store.enums import NOT_OVERDUE_STATUSES

TABLE = "dashboard_tally"
_COLUMNS = "agency, region_code, kind, key, n"


@dataclass(frozen=True)
class _Dialect:
    week: str  # the Beijing week's Monday of a timestamp {x}, as YYYY-MM-DD
    day: str  # the Beijing day of a timestamp {x}, as YYYY-MM-DD
    violating: str  # whether JSON list {x} names a violation other than no_violation
    same: str  # null-safe equality of {a} and {b}
    text: str  # a value {x} as comparable text (JSON has no equality on PostgreSQL)


_SQLITE = _Dialect(
    # date() rounds to the millisecond (23:59:59.9996 would count in the next day): cut to the second.
    week="date(substr({x}, 1, 19), '+8 hours', 'weekday 0', '-6 days')",
    day="date(substr({x}, 1, 19), '+8 hours')",
    violating="EXISTS (SELECT 1 FROM json_each({x}) WHERE json_each.value <> 'no_violation')",
    same="({a} IS {b})",
    text="{x}",
)
_POSTGRES = _Dialect(
    week="to_char(date_trunc('week', ({x}) AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')",
    day="to_char(({x}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')",
    violating="EXISTS (SELECT 1 FROM json_array_elements_text({x}) AS v(value) WHERE v.value <> 'no_violation')",
    same="({a} IS NOT DISTINCT FROM {b})",
    text="({x})::text",
)


def _dialect(name: str) -> _Dialect:
    return _POSTGRES if name == "postgresql" else _SQLITE


def _task_kinds(d: _Dialect, r: str) -> list[tuple[str, str, str]]:
    """(kind, key, condition) of what task row R (NEW, OLD or a table alias) counts in."""
    not_overdue = ", ".join(f"'{s}'" for s in sorted(NOT_OVERDUE_STATUSES))
    return [
        ("status", f"{r}.status", "1 = 1"),
        ("created", d.week.format(x=f"{r}.created_at"), "1 = 1"),
        ("closed", d.week.format(x=f"{r}.updated_at"), f"{r}.status = 'closed'"),
        (
            "due",
            d.day.format(x=f"{r}.due_at"),
            f"{r}.due_at IS NOT NULL AND {r}.status NOT IN ({not_overdue})",
        ),
    ]


def _task_rows(
    d: _Dialect, r: str, sign: int, also: str = "1 = 1", kinds: set[str] | None = None
) -> list[str]:
    return [
        f"SELECT {r}.agency, {r}.region_code, '{kind}', {key}, {sign} WHERE ({cond}) AND ({also})"
        for kind, key, cond in _task_kinds(d, r)
        if kinds is None or kind in kinds
    ]


def _task_findings(d: _Dialect, task: str, sign: int, also: str = "1 = 1") -> str:
    """The violation counts of TASK's findings (all of them), signed."""
    week = d.week.format(x="f.created_at")
    return (
        f"SELECT {task}.agency, {task}.region_code, 'violation', {week}, {sign} * count(*) FROM finding f "
        f"WHERE f.task_id = {task}.id AND {d.violating.format(x='f.violations')} AND ({also}) GROUP BY {week}"
    )


def _finding_row(d: _Dialect, r: str, sign: int) -> str:
    """Finding row R's violation count (nothing once its task is gone: the task's delete took it)."""
    return (
        f"SELECT t.agency, t.region_code, 'violation', {d.week.format(x=f'{r}.created_at')}, {sign} "
        f"FROM inspection_task t WHERE t.id = {r}.task_id AND {d.violating.format(x=f'{r}.violations')}"
    )


def _insert(selects: list[str]) -> str:
    return f"INSERT INTO {TABLE} ({_COLUMNS}) " + " UNION ALL ".join(selects)


def _task_update(d: _Dialect) -> list[str]:
    """On a task update: move each kind whose agency, county, key or condition changed; move the findings."""
    selects = []
    for (kind, old_key, old_cond), (_, new_key, new_cond) in zip(
        _task_kinds(d, "OLD"), _task_kinds(d, "NEW"), strict=True
    ):
        changed = (
            f"NOT ({d.same.format(a='OLD.agency', b='NEW.agency')} AND "
            f"{d.same.format(a='OLD.region_code', b='NEW.region_code')} AND "
            f"{d.same.format(a=old_key, b=new_key)} AND (({old_cond}) = ({new_cond})))"
        )
        selects += _task_rows(d, "OLD", -1, changed, {kind}) + _task_rows(d, "NEW", 1, changed, {kind})
    moved = (
        f"NOT ({d.same.format(a='OLD.agency', b='NEW.agency')} AND "
        f"{d.same.format(a='OLD.region_code', b='NEW.region_code')})"
    )
    return [
        _insert(selects),
        _insert([_task_findings(d, "OLD", -1, moved)]),
        _insert([_task_findings(d, "NEW", 1, moved)]),
    ]


def _finding_changed(d: _Dialect) -> str:
    pairs = [("OLD.task_id", "NEW.task_id"), ("OLD.created_at", "NEW.created_at")]
    same = [d.same.format(a=a, b=b) for a, b in pairs]
    same.append(d.same.format(a=d.text.format(x="OLD.violations"), b=d.text.format(x="NEW.violations")))
    return "NOT (" + " AND ".join(same) + ")"


def _sqlite_ddl() -> list[str]:
    d = _SQLITE
    on_task_delete = [_insert(_task_rows(d, "OLD", -1)), _insert([_task_findings(d, "OLD", -1)])]
    finding_update = [_insert([_finding_row(d, "OLD", -1)]), _insert([_finding_row(d, "NEW", 1)])]

    def trigger(name: str, when: str, table: str, body: list[str], condition: str = "") -> str:
        guard = f" WHEN {condition}" if condition else ""
        statements = "; ".join(body)
        return f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW{guard} BEGIN {statements}; END"

    return [
        trigger("tally_task_insert", "AFTER INSERT", "inspection_task", [_insert(_task_rows(d, "NEW", 1))]),
        trigger("tally_task_update", "AFTER UPDATE", "inspection_task", _task_update(d)),
        trigger("tally_task_delete", "BEFORE DELETE", "inspection_task", on_task_delete),
        trigger("tally_finding_insert", "AFTER INSERT", "finding", [_insert([_finding_row(d, "NEW", 1)])]),
        trigger("tally_finding_update", "AFTER UPDATE", "finding", finding_update, _finding_changed(d)),
        trigger("tally_finding_delete", "AFTER DELETE", "finding", [_insert([_finding_row(d, "OLD", -1)])]),
    ]


def _postgres_ddl() -> list[str]:
    d = _POSTGRES

    def function(name: str, branches: dict[str, list[str]], returns: dict[str, str]) -> str:
        parts: list[str] = []
        for op, body in branches.items():
            statements = " ".join(f"{s};" for s in body)
            parts.append(
                f"{'IF' if not parts else 'ELSIF'} TG_OP = '{op}' THEN {statements} RETURN {returns[op]};"
            )
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + " ".join(parts)
            + " END IF; RETURN NULL; END $$"
        )

    task_branches = {
        "INSERT": [_insert(_task_rows(d, "NEW", 1))],
        "UPDATE": _task_update(d),
        "DELETE": [_insert(_task_rows(d, "OLD", -1)), _insert([_task_findings(d, "OLD", -1)])],
    }
    # A finding counts under its task's agency and county: the task row is share-locked first, so a
    # finding written while another transaction moves (or deletes) its task waits for it and then reads
    # the task as committed (the foreign key's own lock does not conflict with a move).
    lock = "PERFORM 1 FROM inspection_task WHERE id IN ({ids}) FOR SHARE"
    finding_branches = {
        "INSERT": [lock.format(ids="NEW.task_id"), _insert([_finding_row(d, "NEW", 1)])],
        "UPDATE": [
            lock.format(ids="OLD.task_id, NEW.task_id"),
            _insert([_finding_row(d, "OLD", -1)]),
            _insert([_finding_row(d, "NEW", 1)]),
        ],
        "DELETE": [lock.format(ids="OLD.task_id"), _insert([_finding_row(d, "OLD", -1)])],
    }
    returns = {"INSERT": "NULL", "UPDATE": "NULL", "DELETE": "OLD"}
    return [
        function("tally_task", task_branches, returns),
        function("tally_finding", finding_branches, {**returns, "DELETE": "NULL"}),
        "CREATE TRIGGER tally_task_write AFTER INSERT OR UPDATE ON inspection_task "
        "FOR EACH ROW EXECUTE FUNCTION tally_task()",
        "CREATE TRIGGER tally_task_delete BEFORE DELETE ON inspection_task FOR EACH ROW EXECUTE FUNCTION tally_task()",
        "CREATE TRIGGER tally_finding_write AFTER INSERT OR DELETE ON finding "
        "FOR EACH ROW EXECUTE FUNCTION tally_finding()",
        f"CREATE TRIGGER tally_finding_update AFTER UPDATE ON finding FOR EACH ROW WHEN ({_finding_changed(d)}) "
        "EXECUTE FUNCTION tally_finding()",
    ]


TRIGGERS = {
    "sqlite": [
        *("tally_task_insert", "tally_task_update", "tally_task_delete"),
        *("tally_finding_insert", "tally_finding_update", "tally_finding_delete"),
    ],
    "postgresql": ["tally_task_write", "tally_task_delete", "tally_finding_write", "tally_finding_update"],
}


def drop_triggers(connection: Connection) -> None:
    """Remove the triggers (and PostgreSQL's functions)."""
    name = connection.dialect.name
    for trigger in TRIGGERS[name]:
        table = "finding" if "finding" in trigger else "inspection_task"
        connection.exec_driver_sql(
            f"DROP TRIGGER IF EXISTS {trigger}" + (f" ON {table}" if name != "sqlite" else "")
        )
    if name == "postgresql":
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS tally_task(), tally_finding()")


def create_triggers(connection: Connection) -> None:
    """(Re)create the triggers that keep the tallies."""
    drop_triggers(connection)
    for statement in _postgres_ddl() if connection.dialect.name == "postgresql" else _sqlite_ddl():
        connection.exec_driver_sql(statement)


def _fresh(d: _Dialect) -> str:
    """Every tally computed from the tasks and findings as they are: (agency, county, kind, key, n)."""
    selects = [
        f"SELECT t.agency AS agency, t.region_code AS region_code, '{kind}' AS kind, {key} AS key, "
        f"count(*) AS n FROM inspection_task t WHERE {cond} "
        f"GROUP BY t.agency, t.region_code, {key}"
        for kind, key, cond in _task_kinds(d, "t")
    ]
    week = d.week.format(x="f.created_at")
    selects.append(
        f"SELECT t.agency, t.region_code, 'violation', {week}, count(*) FROM finding f "
        f"JOIN inspection_task t ON t.id = f.task_id WHERE {d.violating.format(x='f.violations')} "
        f"GROUP BY t.agency, t.region_code, {week}"
    )
    return " UNION ALL ".join(selects)


def rebuild(connection: Connection) -> None:
    """Replace the tallies with counts computed from the tasks and findings (migration 0010's fill).

    On PostgreSQL one statement deletes the rows and counts afresh from one snapshot, so a change
    committed meanwhile is either in both or in neither (two statements would count it twice).
    """
    fresh = _fresh(_dialect(connection.dialect.name))
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"WITH gone AS (DELETE FROM {TABLE}) INSERT INTO {TABLE} ({_COLUMNS}) {fresh}"
        )
        return
    connection.exec_driver_sql(f"DELETE FROM {TABLE}")  # SQLite: one writer; the transaction holds it
    connection.exec_driver_sql(f"INSERT INTO {TABLE} ({_COLUMNS}) {fresh}")


Key = tuple[str, str, str, str]


def _counts(rows: object) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for agency, region, kind, key, n in rows:  # type: ignore[attr-defined]
        counts[(agency, region, kind, key)] += int(n)
    return Counter({k: n for k, n in counts.items() if n})  # zeros dropped; a negative count is kept


def drift(connection: Connection) -> dict[Key, tuple[int, int]]:
    """Keys whose tallied count differs from a fresh count: {key: (tallied, fresh)}; empty when all agree."""
    # One statement, so the tallies and the fresh count are read from the same snapshot.
    columns = "agency, region_code, kind, key"
    rows = connection.exec_driver_sql(
        f"SELECT {columns}, sum(tallied), sum(fresh) FROM ("
        f"SELECT {columns}, n AS tallied, 0 AS fresh FROM {TABLE} UNION ALL "
        f"SELECT fresh.agency, fresh.region_code, fresh.kind, fresh.key, 0, fresh.n "
        f"FROM ({_fresh(_dialect(connection.dialect.name))}) AS fresh"
        f") AS both_counts GROUP BY {columns} HAVING sum(tallied) <> sum(fresh)"
    )
    return {(a, r, k, key): (int(t), int(f)) for a, r, k, key, t, f in rows}


def compact(connection: Connection) -> tuple[int, int]:
    """Fold the tally rows into one per key (zeros dropped); (rows before, rows after).

    On PostgreSQL one statement deletes the rows it can see and inserts their sums, so rows that
    other transactions add meanwhile stay untouched. SQLite has one writer at a time.
    """
    columns = "agency, region_code, kind, key"
    if connection.dialect.name == "postgresql":
        result = connection.exec_driver_sql(
            f"WITH gone AS (DELETE FROM {TABLE} RETURNING {_COLUMNS}), "
            f"kept AS (INSERT INTO {TABLE} ({_COLUMNS}) SELECT {columns}, sum(n) FROM gone "
            f"GROUP BY {columns} HAVING sum(n) <> 0 RETURNING 1) "
            "SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM kept)"
        ).one()
        return int(result[0]), int(result[1])
    gone = connection.exec_driver_sql(f"DELETE FROM {TABLE} RETURNING {_COLUMNS}").fetchall()
    sums = _counts(gone)
    if sums:
        connection.exec_driver_sql(
            f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)", [(*k, n) for k, n in sums.items()]
        )
    return len(gone), len(sums)
