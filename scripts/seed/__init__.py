"""Seed data generator for the sales suite (Odoo 18.0 Community).

Builds a realistic, deterministic (fixed random seed) sales organisation in an
Odoo database: regional sales teams, a sales director, team leaders and reps,
customers with Chinese and English names, products in categories, a year of
opportunities, quotations, confirmed orders, deliveries, posted invoices and
payments reconciled with the invoices.

Only standard modules are required: sale_management, crm, account, sale_stock
and sale_margin.

CLI (``__main__.py``)::

    python3 scripts/seed -d DBNAME [--size tiny|demo|bench|x3|x10] [--bulk|--no-bulk]
                         [--lang zh_CN] [--addons-path ...] [-c odoo.conf]

In-process (tests, other scripts), with ``scripts/`` on ``sys.path``::

    import seed
    counts = seed.seed(env, size="tiny", log=print)   # never commits unless commit=True

The package: ``data.py`` (sizes, names, the catalogue, the gate's and the demo's texts),
``helpers.py``, ``seeder.py`` (the ``Seeder``: organisation, customers, products,
opportunities, orders and deliveries), ``invoicing.py`` (invoices, payments, collection plans),
``life.py`` (the demo's life up to today), ``contracts.py`` (the contract register: every state
in demo and tiny, 20,000 contracts in bench) and ``gate.py`` (the compliance gate).

Sizes (see ``SIZES``): ``tiny`` (tests, a few seconds), ``demo`` (4 teams, 20
reps, 300 customers, 400 orders; about 1 minute) and ``bench`` (8 teams, 200
reps, 5,000 customers, 2,000 products, 12,500 orders x 16 lines = 200,000 order
lines; docs/benchmarks.md gives the measured time).

``x3`` and ``x10`` are the bench times 3 and 10 (``scaled()``, data.py). With ``bulk`` (the CLI's
``--bulk``, its default for bench, x3 and x10) the orders and their lines are written with
PostgreSQL COPY and Odoo computes what it stores (bulk.py): the same data
(tests/test_seed_bulk.py), everything else as below.

Historical orders are created in bulk through the ORM (``create()`` on lists of
values) and confirmed by writing their state directly; a share of them
(``stock_ratio``: all of them in tiny/demo, 5% in bench) goes through the real
``action_confirm()`` + picking validation flow so that deliveries (and
``qty_delivered``) come from done stock moves. Invoices are built from the sale
order lines (``sale_line_ids`` links, so ``qty_invoiced`` and
``invoice_status`` are right); their tax and receivable journal items are
computed up front with Odoo's own tax engine so the slow per-line
synchronisation can be skipped (a test checks they equal Odoo's own
computation), then posted in batches. In bench only ``invoice_ratio`` (50%) of
the invoiceable orders are invoiced, to fit the 30-minute budget; the others
stay "to invoice". Payments are ``account.payment`` records reconciled with the
invoices' receivable lines (full or partial).

When ``sales_compliance`` is installed, the orders confirmed through ``action_confirm()``
meet the compliance gate as their salespeople would, under three rules the seed adds for its
teams (see ``ComplianceGate``, gate.py): some are warned, some wait for (and get, or not) their
team leader's approval, a few are blocked and fixed. With ``--lang zh_CN`` the language is loaded
and the generated company works in it (staff, Chinese customers, target names).

The run is idempotent: the ir.config_parameter ``sales_suite.seed_size`` marks a
seeded database and a second run exits without creating anything. A run that died (its marker
still ``<size>:in_progress``) is continued by the next run of the same size, after the last step
or batch it committed (resume.py).
"""

from preflight import MARKER_PARAM

from .data import LOGIN_PREFIX, REF_PREFIX, SIZES, scaled
from .helpers import AlreadySeeded
from .seeder import Seeder

__all__ = ["LOGIN_PREFIX", "MARKER_PARAM", "REF_PREFIX", "SIZES", "Seeder", "scaled", "seed"]


def seed(env, size="demo", log=print, commit=False, lang="en_US", bulk=False, checkpoint_hook=None):
    """Seed ``env``'s database. Returns a dict of counts.

    ``lang`` (e.g. ``zh_CN``) is loaded and used by the generated staff, the Chinese
    customers and the administrator; names generated from translated data (targets) are
    in that language.

    If the database is already seeded, nothing is created and the returned dict is
    ``{"already_seeded": <size>}``. ``commit`` must stay False inside tests. ``bulk``: the
    orders and their lines are written with COPY (bulk.py); the same data, faster.
    ``checkpoint_hook``: called with the name of each step (``name:batch`` for a batch) once
    it is committed; the tests interrupt the seed there.
    """
    try:
        seeder = Seeder(
            env, size, log, commit, lang=lang, bulk=bulk, checkpoint_hook=checkpoint_hook
        )
        return seeder.run()
    except AlreadySeeded as exc:
        if str(exc).endswith(":in_progress"):
            log(
                f"[seed] a previous run ({exc}) did not finish and cannot be continued by "
                f"this one (size {size}); nothing done. Seed a fresh database instead."
            )
        else:
            log(f"[seed] database already seeded (size {exc}); nothing to do")
        return {"already_seeded": str(exc)}
