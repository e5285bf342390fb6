"""Document-level checks triggered by child records (credit shares, commission tiers,
collection installments).

A child record written on its own must leave its parent valid, so the child's constraints run
the parent's check. While the parent itself is being written, its one2many commands pass
through intermediate states (one share rebalanced before the other): inside
``deferred_checks`` the parent checks are collected and run once, at the end of the write.
The pending checks are kept per cursor, out of the context, so no caller can forge them.
"""

from contextlib import contextmanager
from weakref import WeakKeyDictionary

_PENDING = WeakKeyDictionary()


@contextmanager
def deferred_checks(env):
    """Run the parent checks requested inside the block once, when it ends without error."""
    if env.cr in _PENDING:  # nested: the outermost block runs the checks
        yield
        return
    pending = _PENDING[env.cr] = {}
    try:
        yield
    finally:
        _PENDING.pop(env.cr, None)
    for (model, method), ids in pending.items():
        records = env[model].sudo().browse(list(ids)).exists()
        if records:
            getattr(records, method)()


def check_or_defer(records, method):
    """Call ``records.method()`` (as superuser) now, or at the end of the enclosing block."""
    if not records:
        return
    pending = _PENDING.get(records.env.cr)
    if pending is None:
        records = records.sudo().exists()
        if records:
            getattr(records, method)()
    else:
        pending.setdefault((records._name, method), set()).update(records.ids)
