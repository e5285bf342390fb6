"""sales_assistant: My day and the morning digest, collection plans, the guided confirmation,
late deliveries and the hand-over."""

import statistics
import time

from . import CursorCounter, Measure, benchmark, seed_reps
from .compliance import make_bench_drafts, our_bench_rules


# --- sales_assistant: "My day" and the morning digest (issue #10) ---------------------------
def make_my_day_activities(env, reps, per_rep=30):
    """A working month of activities for ``reps``, inserted with SQL (the seed makes none).

    Per rep: calls due over the last and next days (a third of them overdue), planned visits,
    and done visits over the last 30 days on their open opportunities. The CRM stages get a
    visit cadence (1, 2, 3 visits a week), so that opportunities fall behind on visits.
    """
    stages = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id")
    for frequency, stage in enumerate(stages, start=1):
        stage.visit_frequency = min(frequency, 3)
    visit = env["mail.activity"]._sales_visit_type()
    call = env.ref("mail.mail_activity_data_call")
    env.flush_all()
    env.cr.execute(
        """
        WITH opp AS (
            SELECT l.id, l.user_id, l.name,
                   ROW_NUMBER() OVER (PARTITION BY l.user_id ORDER BY l.id) AS n
              FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND l.type = 'opportunity' AND s.is_won IS NOT TRUE
               AND l.user_id = ANY(%(reps)s)
        )
        INSERT INTO mail_activity
               (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                user_id, date_deadline, active, date_done, visit_outcome,
                create_uid, write_uid, create_date, write_date)
        SELECT %(model)s, 'crm.lead', opp.id, opp.name,
               CASE WHEN mod(g, 3) = 0 THEN %(call)s ELSE %(visit)s END,
               'Bench', opp.user_id,
               CURRENT_DATE + (mod(g, 10)) - 6,
               NOT (mod(g, 3) <> 0 AND mod(g, 2) = 0),
               CASE WHEN mod(g, 3) <> 0 AND mod(g, 2) = 0 THEN CURRENT_DATE - (mod(g, 30)) END,
               CASE WHEN mod(g, 3) <> 0 AND mod(g, 2) = 0 THEN 'Met the buyer' END,
               1, 1, now(), now()
          FROM opp CROSS JOIN generate_series(1, %(per_rep)s) g
         WHERE opp.n = 1 + (mod(g, 10))
        """,
        {
            "reps": reps.ids,
            "model": env["ir.model"]._get_id("crm.lead"),
            "call": call.id,
            "visit": visit.id,
            "per_rep": per_rep,
        },
    )
    env.cr.execute("ANALYZE mail_activity")  # a live database has its statistics
    env.invalidate_all()
    return (
        env["mail.activity"]
        .with_context(active_test=False)
        .search_count([("summary", "=", "Bench")])
    )


@benchmark("my_day")
def bench_my_day(env, runs=5):
    """ "My day" of the busiest rep and of a team leader of 20 reps, as they would ask for it
    (their rights, warm caches of rights, cold records); median and worst of ``runs``."""
    reps = seed_reps(env)
    activities = make_my_day_activities(env, reps)
    leader = env["res.users"].search([("login", "=like", "seed.leader%")], order="id", limit=1)
    team = leader._sales_teams_led()[:1]
    # a team of 20 reps: the seed's teams have 25
    env["crm.team.member"].search([("crm_team_id", "=", team.id)], order="id")[20:].unlink()
    members = team.member_ids
    rep = members[:1]
    results = {"activities": activities, "team_reps": len(members)}
    Day = env["sales.assistant.day"]
    for label, user in (("rep", rep), ("leader", leader)):
        Day.with_user(user).get_my_day()  # rights and translations cached, as on a live server
        times, queries = [], []
        for _run in range(runs):
            env.invalidate_all()
            with Measure(env) as measure:
                day = Day.with_user(user).get_my_day()
            times.append(measure.seconds * 1000)
            queries.append(measure.queries)
        results[f"{label}_items"] = day["count"]
        results[f"{label}_ms_median"] = round(statistics.median(times), 1)
        results[f"{label}_ms_max"] = round(max(times), 1)
        results[f"{label}_queries"] = max(queries)
    return results


@benchmark("digest_cron")
def bench_digest_cron(env, reps=200):
    """The morning digest cron for every salesperson (200 reps, their leaders and managers):
    the first run ever (it opens each person's OdooBot chat), the same cron again the same day
    (nobody gets a second one), and the next day's run (chats already open)."""
    from datetime import timedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415

    all_reps = seed_reps(env, limit=reps)
    make_my_day_activities(env, all_reps)
    env["ir.config_parameter"].set_param("sales_assistant.digest_enabled", "True")
    env["ir.config_parameter"].set_param("sales_assistant.digest_hour", 0)  # everybody is due
    Digest = env["sales.assistant.digest"]
    Mail = env["mail.mail"]
    results = {}
    now = fields.Datetime.now()
    for label, when in (("first", now), ("rerun", now), ("next_day", now + timedelta(days=1))):
        mails_before = Mail.search_count([])
        env.invalidate_all()
        cpu = time.process_time()
        with Measure(env) as measure:
            people = Digest._send_digests(batch_size=50, now=when)
        results[f"{label}_cpu_seconds"] = round(time.process_time() - cpu, 2)  # this process
        results[f"{label}_people"] = people
        results[f"{label}_emails"] = Mail.search_count([]) - mails_before
        results[f"{label}_seconds"] = round(measure.seconds, 3)
        results[f"{label}_queries"] = measure.queries
    results["digests_sent"] = Digest.search_count([("sent", "=", True)])
    return results


# --- sales_assistant: collection plans (issue #9, section 3) -------------------------------
def make_collection_plans(env, order_filter):
    """A collection plan for the confirmed orders matching ``order_filter`` (SQL on ``so``):
    30% due on the order day, 70% thirty days later, written in SQL (set-up, not measured)."""
    env.flush_all()
    env.cr.execute(
        f"""
        INSERT INTO sales_collection_plan
               (order_id, partner_id, commercial_partner_id, user_id, team_id, company_id,
                currency_id, state, amount_invoiced, amount_credited, amount_paid,
                amount_residual, create_uid, write_uid, create_date, write_date)
        SELECT so.id, so.partner_id, p.commercial_partner_id, so.user_id, so.team_id,
               so.company_id, so.currency_id, 'open', 0, 0, 0, so.amount_total, 1, 1,
               now(), now()
          FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
         WHERE so.state = 'sale' AND so.amount_total > 0 AND {order_filter}
           AND NOT EXISTS (SELECT 1 FROM sales_collection_plan x WHERE x.order_id = so.id)
        RETURNING id
        """
    )
    plan_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        INSERT INTO sales_collection_installment
               (plan_id, order_id, partner_id, commercial_partner_id, user_id, team_id,
                company_id, currency_id, sequence, date_due, amount, method, is_deposit,
                amount_invoiced, amount_credited, amount_paid, amount_residual, state,
                create_uid, write_uid, create_date, write_date)
        SELECT pl.id, pl.order_id, pl.partner_id, pl.commercial_partner_id, pl.user_id,
               pl.team_id, pl.company_id, pl.currency_id, part.seq,
               so.date_order::date + part.days, part.amount, 'bank_transfer', FALSE,
               0, 0, 0, part.amount, 'planned', 1, 1, now(), now()
          FROM sales_collection_plan pl
          JOIN sale_order so ON so.id = pl.order_id
          CROSS JOIN LATERAL (
                VALUES (1, 0, round(so.amount_total * 0.3, 2)),
                       (2, 30, so.amount_total - round(so.amount_total * 0.3, 2))
          ) AS part(seq, days, amount)
         WHERE pl.id = ANY(%s)
        """,
        (plan_ids,),
    )
    env.invalidate_all()
    return plan_ids


def simulate_yesterday(env, yesterday):
    """The state the daily run left yesterday: states moved, yesterday's reminders logged."""
    from odoo.tools import SQL  # noqa: PLC0415

    Plan = env["sales.collection.plan"]
    Plan._collection_open_plans()._collection_refresh(yesterday)
    query = env["sales.collection.reminder"]._collection_candidates_sql(yesterday)
    env.cr.execute(
        SQL(
            """
            INSERT INTO sales_collection_reminder (installment_id, level_id, plan_id, company_id,
                   date, escalated, create_uid, write_uid, create_date, write_date)
            SELECT c.iid, c.lid, i.plan_id, i.company_id, %s, FALSE, 1, 1, now(), now()
              FROM (%s) AS c(iid, lid)
              JOIN sales_collection_installment i ON i.id = c.iid
            """,
            next(iter(yesterday.values())),
            query,
        )
    )
    env.invalidate_all()


@benchmark("collection_cron")
def bench_collection_cron(env):
    """The daily collection cron over a plan for every confirmed order: states of every
    installment, broken promises, the day's reminders; then a rerun with nothing to do.
    Measured with half the plans, then all, to show the queries do not follow the count."""
    from datetime import timedelta  # noqa: PLC0415

    Plan = env["sales.collection.plan"]
    companies = env["res.company"].search([])
    today = Plan._collection_today(companies)
    yesterday = {cid: day - timedelta(days=1) for cid, day in today.items()}
    results = {}
    for label, order_filter in (("half", "so.id % 2 = 0"), ("all", "TRUE")):
        make_collection_plans(env, order_filter)
        simulate_yesterday(env, yesterday)
        installments = env["sales.collection.installment"].search_count([])
        env.invalidate_all()
        mails_before = env["mail.mail"].search_count([])
        with Measure(env) as run:
            sent = Plan._collection_run(batch_size=500, today=today)
        mails = env["mail.mail"].search_count([]) - mails_before
        env.cr.execute("SELECT max(write_date) FROM sales_collection_installment")
        last_write = env.cr.fetchone()[0]
        env.invalidate_all()
        with CursorCounter() as cursors, Measure(env) as rerun:
            resent = Plan._collection_run(batch_size=500, today=today)
        env.cr.execute("SELECT max(write_date) FROM sales_collection_installment")
        results[label] = {
            "installments": installments,
            "reminders_sent": sent,
            "mails": mails,
            "seconds": round(run.seconds, 2),
            "queries": run.queries,
            "rerun_seconds": round(rerun.seconds, 2),
            "rerun_queries": rerun.queries,
            "rerun_sent": resent,
            "rerun_wrote": env.cr.fetchone()[0] != last_write,
            "extra_cursors": cursors.opened,
        }
    return results


# ---------------------------------------------------------------------------
# sales_assistant: guided confirmation
# ---------------------------------------------------------------------------
@benchmark("guided_confirm_screen")
def bench_guided_confirm_screen(env, runs=20, lines=50):
    """Open the guided-confirmation screen of a 50-line quotation as its salesperson, with
    the 20 bench rules active: compliance result, availability of every line, credit and
    deposit. Server time of ``action_confirm_guided`` (nothing is confirmed)."""
    from odoo import Command, fields  # noqa: PLC0415

    our_bench_rules(env)
    drafts, small = make_bench_drafts(env, 2, lines)
    (drafts | small).company_id.assistant_confirm_guide = True
    # the seed sells goods without stock: the orders sell storable products instead, half
    # of them in stock, the other half arriving on a receipt next week
    products = env["product.product"].create(
        [
            {"name": f"Bench stocked product {i}", "is_storable": True, "list_price": 10 + i}
            for i in range(lines)
        ]
    )
    for order in drafts | small:
        for line, product in zip(order.order_line, products, strict=False):
            line.product_id = product
    warehouse = drafts[0].warehouse_id
    for product in products[::2]:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "scheduled_date": fields.Datetime.add(fields.Datetime.now(), days=7),
            "move_ids": [
                Command.create(
                    {
                        "name": product.display_name,
                        "product_id": product.id,
                        "product_uom_qty": 100,
                        "product_uom": product.uom_id.id,
                        "location_id": env.ref("stock.stock_location_suppliers").id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
                for product in products[1::2]
            ],
        }
    )
    receipt.action_confirm()
    env.flush_all()
    measures, small_queries = [], []
    for run in range(runs + 1):
        for order in (small, drafts[run % 2]):
            env.invalidate_all()
            order = order.with_user(order.user_id).browse(order.id)
            with CursorCounter() as cursors, Measure(env) as measure:
                action = order.action_confirm_guided()
            assert action["res_model"] == "sale.order.confirm.guide", action
            guide = env["sale.order.confirm.guide"].browse(action["res_id"])
            assert guide.unavailable_count and not guide.line_ids.filtered(
                lambda line: not line.available and not line.available_date
            ), "every line is in stock or arrives on the receipt"
            if not run:  # the first run warms the caches up
                continue
            if order.id == small.id:
                small_queries.append(measure.queries)
            else:
                measures.append((measure.seconds, measure.queries, cursors.opened))
    seconds = sorted(s for s, _q, _c in measures)
    return {
        "lines": lines,
        "runs": runs,
        "median_ms": round(1000 * statistics.median(seconds), 1),
        "max_ms": round(1000 * seconds[-1], 1),
        "queries_50_lines": statistics.median_high(q for _s, q, _c in measures),
        "queries_5_lines": statistics.median_high(small_queries),
        "extra_cursors": max(c for _s, _q, c in measures),
    }


# -- sales_assistant: late deliveries (issue #9 §2) ------------------------------------------


def make_open_deliveries(env, count, days_late=3):
    """One open delivery, past its scheduled date, for ``count`` confirmed orders that have
    none (the seed confirms orders in SQL, without pickings), and the salesperson following
    the order, as Odoo makes them follow their orders. Returns the number of deliveries."""
    env.cr.execute(
        """
        WITH orders AS (
            SELECT o.id, o.name, o.partner_id, o.company_id
              FROM sale_order o
             WHERE o.state = 'sale'
               AND NOT EXISTS (SELECT FROM stock_picking p WHERE p.sale_id = o.id)
             ORDER BY o.id
             LIMIT %(count)s
        )
        INSERT INTO stock_picking (name, origin, picking_type_id, location_id, location_dest_id,
                                   partner_id, sale_id, company_id, state, move_type, priority,
                                   scheduled_date, date, create_uid, create_date, write_uid,
                                   write_date)
        SELECT 'BENCH/OUT/' || o.id, o.name, t.id, t.default_location_src_id,
               t.default_location_dest_id, o.partner_id, o.id, o.company_id, 'assigned',
               'direct', '0', now() - make_interval(days => %(days)s), now(), 1, now(), 1, now()
          FROM orders o
          JOIN LATERAL (SELECT * FROM stock_picking_type
                         WHERE code = 'outgoing' AND company_id = o.company_id
                         ORDER BY sequence, id LIMIT 1) t ON true
        """,
        {"count": count, "days": days_late},
    )
    made = env.cr.rowcount
    env.cr.execute(
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'sale.order', o.id, u.partner_id
          FROM sale_order o
          JOIN res_users u ON u.id = o.user_id
         WHERE o.state = 'sale'
        ON CONFLICT DO NOTHING
        """
    )
    env.invalidate_all()
    return made


@benchmark("late_deliveries")
def bench_late_deliveries(env, small=1000, orders=10000):
    """The late-delivery cron over 10,000 open orders, its query count beside the same cron
    over 1,000 (rolled back), then a rerun with nothing to do."""
    Late = env["sales.late.delivery"].sudo()
    with env.cr.savepoint() as savepoint:
        make_open_deliveries(env, small)
        with Measure(env) as first:
            small_orders = Late._detect_all()
        savepoint.rollback()
    env.invalidate_all()
    made = make_open_deliveries(env, orders)
    activities_before = env["mail.activity"].search_count([])
    cpu = time.process_time()
    with CursorCounter() as cursors, Measure(env) as measure:
        flagged = Late._detect_all()
    cpu = time.process_time() - cpu  # Odoo's side, without PostgreSQL's
    activities = env["mail.activity"].search_count([]) - activities_before
    env.cr.execute("SELECT count(*), max(write_date) FROM sales_late_delivery")
    recorded = env.cr.fetchone()
    activities_before = env["mail.activity"].search_count([])
    with Measure(env) as rerun:
        again = Late._detect_all()
    env.cr.execute("SELECT count(*), max(write_date) FROM sales_late_delivery")
    written = recorded != env.cr.fetchone()
    written = written or env["mail.activity"].search_count([]) != activities_before
    return {
        "orders_small": small_orders,
        "queries_small": first.queries,
        "seconds_small": round(first.seconds, 2),
        "open_orders": made,
        "orders_flagged": flagged,
        "activities_created": activities,
        "seconds": round(measure.seconds, 2),
        "odoo_cpu_seconds": round(cpu, 2),
        "queries": measure.queries,
        "extra_cursors": cursors.opened,
        "rerun_orders": again,
        "rerun_seconds": round(rerun.seconds, 3),
        "rerun_queries": rerun.queries,
        "rerun_wrote_anything": written,
    }


# --- sales_assistant: hand-over (issue 10, section 6) -------------------------------------
def make_handover_holder(env, rep, customers, opportunities):
    """Give ``rep`` ``customers`` customers of their own and ``opportunities`` open
    opportunities on them (outside the measure: the seed does not make hand-overs)."""
    partners = (
        env["res.partner"]
        .sudo()
        .create(
            [
                {
                    "name": f"Hand-over customer {rep.id}-{i}",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": rep.id,
                }
                for i in range(customers)
            ]
        )
    )
    stage = env["crm.stage"].search([("is_won", "=", False)], order="sequence", limit=1)
    env["crm.lead"].sudo().create(
        [
            {
                "name": f"Hand-over deal {i}",
                "type": "opportunity",
                "user_id": rep.id,
                "partner_id": partners[i % customers].id,
                "stage_id": stage.id,
                "probability": 80 if i % 10 == 0 else 30,
            }
            for i in range(opportunities)
        ]
    )
    env.flush_all()


def run_handover(env, rep, successors):
    """Plan, start and finish a hand-over of ``rep`` split over ``successors``."""
    Log = env["sales.handover.log"]
    plan = Log._handover_plan(rep, env.company, "round_robin", successors, 70.0)
    log = Log._handover_start(
        {
            "from_user_id": rep.id,
            "distribution": "round_robin",
            "successor_ids": [(6, 0, successors.ids)],
            "joint_visit_probability": 70.0,
        },
        plan,
    )
    while log.state == "running":
        log._handover_process_batch()
    return log


@benchmark("handover")
def bench_handover(env):
    """A rep holding 2,000 customers and 500 open opportunities handed over to 3
    successors (round robin), as a sales manager; and a rep holding a tenth of that,
    to show that the queries grow per batch, not per record."""
    manager = env.ref("base.user_admin")
    env = env(user=manager)
    reps = seed_reps(env, limit=8)
    big, small, successors = reps[0], reps[1], reps[2:5]
    make_handover_holder(env, big, 2000, 500)
    make_handover_holder(env, small, 200, 50)
    env.invalidate_all()
    with CursorCounter() as cursors_small, Measure(env) as measure_small:
        log_small = run_handover(env, small, successors)
    env.invalidate_all()
    with CursorCounter() as cursors, Measure(env) as measure:
        log = run_handover(env, big, successors)
    return {
        "records": log.line_count,
        "customers": log.customer_count,
        "opportunities": log.opportunity_count,
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
        "records_small": log_small.line_count,
        "seconds_small": round(measure_small.seconds, 2),
        "queries_small": measure_small.queries,
        "extra_cursors": cursors.opened + cursors_small.opened,
    }
