"""The audit trail: an append-only log where every entry carries the hash of the previous one.

``trail`` appends (``record()``, inside the caller's transaction) and verifies the chain
(``verify()``; ``manage.py verify_audit`` prints the first broken link); ``labels`` says what
each entry means to people; ``context`` carries the request's IP address down to ``record()``
(``AuditContextMiddleware``); ``admin`` shows the trail, never editable.
"""

from .context import AuditContextMiddleware, client_ip, current_ip
from .labels import LABELS, Action, Described, action_label, describe
from .trail import GENESIS, BrokenLink, UnknownKey, compute_hash, record, verify

__all__ = [
    "GENESIS",
    "LABELS",
    "Action",
    "AuditContextMiddleware",
    "BrokenLink",
    "UnknownKey",
    "Described",
    "action_label",
    "client_ip",
    "compute_hash",
    "current_ip",
    "describe",
    "record",
    "verify",
]
