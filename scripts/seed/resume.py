"""Where a seed stands, so that a run that died continues where it stopped.

After each finished step, and after each batch of the steps that commit per batch
(``BATCH_STEPS``), the Seeder's state (its random generator, its plans, the ids it made, its
counts) is written to the table ``sales_suite_seed_checkpoint``, in the transaction that
commits the step or the batch. A new run of the same size on a database whose marker still says
``<size>:in_progress`` reads it back and carries on after the last committed step or batch: the
same random draws, so the same data as a run that never stopped.

The table is the seed's own (no Odoo model: no client reaches it over RPC), holds one row and
is dropped when the seed finishes. The state is a pickle whose records are stored as
(model, ids) and read back in the running environment.
"""

import io
import pickle

TABLE = "sales_suite_seed_checkpoint"
# the Seeder's attributes that belong to the run, not to its state
NOT_STATE = frozenset({"env", "log", "commit_enabled", "checkpoint_hook", "step"})


class _Pickler(pickle.Pickler):
    def __init__(self, file, seeder):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.seeder = seeder
        from odoo.api import Environment  # noqa: PLC0415 (the CLI imports the seed first)
        from odoo.models import BaseModel  # noqa: PLC0415

        self.types = (Environment, BaseModel)

    def persistent_id(self, obj):
        if obj is self.seeder:
            return ("seeder",)
        if isinstance(obj, self.types[0]):
            return ("env",)
        if isinstance(obj, self.types[1]):
            return ("records", obj._name, obj._ids)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, seeder):
        super().__init__(file)
        self.seeder = seeder

    def persistent_load(self, pid):
        if pid[0] == "seeder":
            return self.seeder
        if pid[0] == "env":
            return self.seeder.env
        return self.seeder.env[pid[1]].browse(pid[2])


def _ensure_table(cr):
    cr.execute(
        f"""CREATE TABLE IF NOT EXISTS {TABLE} (
            size varchar NOT NULL, step varchar NOT NULL, context bytea NOT NULL,
            state bytea NOT NULL, written timestamp NOT NULL DEFAULT (now() at time zone 'UTC'))"""
    )


def save(seeder, step):
    """Record that ``step`` is done (``name`` for a step, ``name:batch`` inside one)."""
    cr = seeder.env.cr
    _ensure_table(cr)
    state = io.BytesIO()
    _Pickler(state, seeder).dump({k: v for k, v in seeder.__dict__.items() if k not in NOT_STATE})
    context = pickle.dumps(dict(seeder.env.context), protocol=pickle.HIGHEST_PROTOCOL)
    cr.execute(f"DELETE FROM {TABLE}")
    cr.execute(
        f"INSERT INTO {TABLE} (size, step, context, state) VALUES (%s, %s, %s, %s)",
        (seeder.size, step, context, state.getvalue()),
    )


def load(seeder):
    """The last recorded step of a run of ``seeder.size``, its state put back into
    ``seeder``; None when there is none."""
    cr = seeder.env.cr
    cr.execute("SELECT to_regclass(%s) IS NOT NULL", (TABLE,))
    if not cr.fetchone()[0]:
        return None
    cr.execute(f"SELECT size, step, context, state FROM {TABLE}")
    row = cr.fetchone()
    if not row or row[0] != seeder.size:
        return None
    seeder.env = seeder.env(context=pickle.loads(bytes(row[2])))
    state = _Unpickler(io.BytesIO(bytes(row[3])), seeder).load()
    seeder.__dict__.update(state)
    return row[1]


def drop(cr):
    cr.execute(f"DROP TABLE IF EXISTS {TABLE}")
