"""sales_assistant's sales contracts (issue #19): the contract register with its performance
columns, a contract's form with 50 orders, and the renewal cron, over the 20,000 contracts of
the bench seed (``scripts/seed/contracts.py``)."""

import statistics

from . import CursorCounter, Measure, benchmark

# the register's performance columns, computed over each contract's orders in grouped SQL
PERFORMANCE_FIELDS = (
    "amount_ordered",
    "amount_delivered",
    "amount_invoiced",
    "amount_collected",
    "performance_progress",
)
LIST_FIELDS = (
    "name",
    "version",
    "partner_id",
    "user_id",
    "team_id",
    "contract_type",
    "currency_id",
    "amount",
    "date_signed",
    "date_end",
    "state",
    *PERFORMANCE_FIELDS,
)
GOALS_MS = {"contract_register": 1000, "contract_form": 200, "contract_renewal_cron": 5000}


def missing(model, fields=(), methods=()):
    """Why the benchmark cannot run yet (a field or method of a helper not merged), or None."""
    lacking = [f for f in fields if f not in model._fields]
    lacking += [f"{m}()" for m in methods if not hasattr(model, m)]
    if not lacking:
        return None
    return f"skipped: sales.contract has no {', '.join(lacking)} yet"


def desk_user(env):
    """A sales desk user (销售内勤), who sees every contract of the company: the register's
    reader. Created in the benchmark's transaction, rolled back with it."""
    login = "bench.contract.desk@sales-suite.example.com"
    found = env["res.users"].search([("login", "=", login)])
    return found or env["res.users"].create(
        {
            "name": "Bench Desk",
            "login": login,
            "company_id": env.company.id,
            "company_ids": [(6, 0, env.company.ids)],
            "groups_id": [(6, 0, env.ref("sales_assistant.group_assistant_desk").ids)],
        }
    )


def median_run(env, func, runs):
    """``func()`` ``runs`` times after a warm-up, caches cleared before each:
    (median seconds, queries of the last run)."""
    func()
    times, queries = [], 0
    for _i in range(runs):
        env.invalidate_all()
        with Measure(env) as measure:
            func()
        times.append(measure.seconds)
        queries = measure.queries
    return statistics.median(times), queries


@benchmark("contract_register")
def bench_contract_register(env, runs=5):
    """The register as the sales desk opens it: the first page of 80 contracts with their
    performance columns, and the count and amount by state (the list grouped by state)."""
    Contract = env["sales.contract"]
    skip = missing(Contract, PERFORMANCE_FIELDS)
    if skip:
        return {"skipped": skip}
    Contract = Contract.with_user(desk_user(env))
    count = Contract.search_count([])
    page = {}
    for limit in (20, 80):
        seconds, queries = median_run(
            env, lambda n=limit: Contract.search_read([], list(LIST_FIELDS), limit=n), runs
        )
        page[limit] = (seconds, queries)
    by_state, group_queries = median_run(
        env, lambda: Contract.read_group([], ["amount_company:sum"], ["state"]), runs
    )
    total = page[80][0] + by_state
    return {
        "contracts": count,
        "list_80_ms": round(1000 * page[80][0], 1),
        "list_80_queries": page[80][1],
        "list_20_queries": page[20][1],  # the same count: no query per contract
        "group_by_state_ms": round(1000 * by_state, 1),
        "group_by_state_queries": group_queries,
        "total_ms": round(1000 * total, 1),
        "goal_ms": GOALS_MS["contract_register"],
        "met": 1000 * total < GOALS_MS["contract_register"],
    }


def form_specification(env, model="sales.contract"):
    """What the web client reads to open a record in its form view (``web_read``): the
    form's fields, display names of many2one, the subviews' fields of one2many."""
    views = env[model].get_views([(False, "form")])
    models = {name: info.get("fields", info) for name, info in views["models"].items()}

    def spec(name, depth):
        result = {}
        for fname in models.get(name, {}):
            field = env[name]._fields.get(fname)
            if field is None:
                continue
            if field.type == "many2one":
                result[fname] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                sub = spec(field.comodel_name, depth + 1) if depth < 1 else {}
                result[fname] = {"fields": sub or {"display_name": {}}, "limit": 40}
            else:
                result[fname] = {}
        return result

    return spec(model, 0)


@benchmark("contract_form")
def bench_contract_form(env, runs=10):
    """The form of the contract with the most orders (50 in the bench seed), as the sales
    desk opens it: ``web_read`` of the form view's fields, performance included."""
    Contract = env["sales.contract"]
    skip = missing(Contract, PERFORMANCE_FIELDS)
    if skip:
        return {"skipped": skip}
    groups = env["sale.order"]._read_group(
        [("contract_id", "!=", False)], ["contract_id"], ["__count"], order="__count desc", limit=1
    )
    if not groups:
        return {"skipped": "skipped: no contract has orders (seed the bench size)"}
    contract, orders = groups[0]
    specification = form_specification(env)
    record = Contract.with_user(desk_user(env)).browse(contract.id)
    seconds, queries = median_run(env, lambda: record.web_read(specification), runs)
    return {
        "contract": contract.display_name,
        "orders": orders,
        "fields_read": len(specification),
        "ms": round(1000 * seconds, 1),
        "queries": queries,
        "goal_ms": GOALS_MS["contract_form"],
        "met": 1000 * seconds < GOALS_MS["contract_form"],
    }


def rows_written(env):
    """Rows inserted, updated and deleted so far by this transaction, all tables."""
    env.flush_all()
    env.cr.execute(
        "SELECT COALESCE(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables"
    )
    return int(env.cr.fetchone()[0])


@benchmark("contract_renewal_cron")
def bench_contract_renewal_cron(env):
    """The daily renewal cron over every contract: the ones in force past their end expire,
    the salespeople of those ending within the renewal days get their activity; then a
    rerun the same day, which must write nothing."""
    Contract = env["sales.contract"]
    skip = missing(Contract, methods=("_cron_contract_renewal",))
    if skip:
        return {"skipped": skip}

    def run():
        # the cron handles a batch a call and the runner calls it again while some remain:
        # the whole day's run in this transaction, as the cron's own helper gives it
        if hasattr(Contract, "_contract_renewal_run"):
            return Contract._contract_renewal_run()
        return Contract._cron_contract_renewal()

    count = Contract.search_count([])
    in_force = Contract.search_count([("state", "in", ("signed", "performance"))])
    env.invalidate_all()
    before = rows_written(env)
    with CursorCounter() as cursors, Measure(env) as first:
        done = run()
    written = rows_written(env) - before
    expired = Contract.search_count([("state", "=", "expired")])
    env.invalidate_all()
    before = rows_written(env)
    with Measure(env) as rerun:
        redone = run()
    rewritten = rows_written(env) - before
    return {
        "contracts": count,
        "in_force": in_force,
        "expired_after": expired,
        "handled": done,
        "seconds": round(first.seconds, 2),
        "queries": first.queries,
        "rows_written": written,
        "rerun_seconds": round(rerun.seconds, 2),
        "rerun_queries": rerun.queries,
        "rerun_handled": redone,
        "rerun_rows_written": rewritten,
        "extra_cursors": cursors.opened,
        "goal_ms": GOALS_MS["contract_renewal_cron"],
        "met": 1000 * first.seconds < GOALS_MS["contract_renewal_cron"] and not rewritten,
    }
