"""The audit log: an append-only, keyed hash chain of every change and every view of protected data
(store.audit.chain appends and anchors it; store.audit.verify checks it)."""

from store.audit.chain import (
    GENESIS,
    KEYED,
    AuditSeal,
    audit_append,
    audit_append_many,
    read_anchors,
    seal_for,
    use_seal,
    write_anchor,
)
from store.audit.verify import ChainProblem, ChainReport, audit_verify

__all__ = [
    "GENESIS",
    "KEYED",
    "AuditSeal",
    "ChainProblem",
    "ChainReport",
    "audit_append",
    "audit_append_many",
    "audit_verify",
    "read_anchors",
    "seal_for",
    "use_seal",
    "write_anchor",
]
