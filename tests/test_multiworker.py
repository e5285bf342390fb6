"""The suite's crons in Odoo's multi-process server: several cron workers over one database.

Companies that outgrow one server run Odoo in prefork mode (``--workers``) and often on more
than one host, each with cron workers, all over one PostgreSQL. Odoo lets one worker at a time
run a given ``ir.cron`` row, but the same work still runs twice at once: a cron duplicated to
run at other hours, a script or a user's refresh calling the same method. This test starts the
real server on a throwaway database with ``--workers=2 --max-cron-threads=2``, gives every cron
of the suite a twin (a second ``ir.cron`` on the same method), makes all of them due, wakes
both cron workers and
polls the database until every job is done. Then it checks that no record was processed twice
and that none was left out:

- ownership release (``sales_compliance``): every stale customer told once and released once;
- achievement refresh (``sales_targets``): every running plan refreshed exactly once;
- commission statements (``sales_targets``): one statement per salesperson and month;
- and no job of the suite failed in either worker.
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
from odoo_process import free_port

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")
# the addons that ship crons (with what they depend on): installing the others too only
# makes the test slower
CRON_ADDONS = tuple(
    module
    for module in SUITE
    if any(
        'model="ir.cron"' in xml.read_text(encoding="utf-8")
        for xml in (ROOT / "addons" / module).rglob("*.xml")
    )
)
CUSTOMERS = 240
REPS = 12
PLANS = 24
TIMEOUT = 240  # seconds for the crons to finish once woken (a minute when idle)

# Run in `odoo shell` on the scratch database: the data the crons work on, and the twins.
PREPARE = f"""
from dateutil.relativedelta import relativedelta
from odoo import fields
ctx = dict(tracking_disable=True, mail_create_nolog=True, no_reset_password=True)
env = env(context=ctx)
env.company.partner_id.tz = "Asia/Shanghai"
salesman = env.ref("sales_team.group_sale_salesman")
reps = env["res.users"].create([
    {{"name": f"Rep {{i}}", "login": f"mw.rep{{i}}", "groups_id": [(6, 0, salesman.ids)]}}
    for i in range({REPS})
])
team = env["crm.team"].create({{"name": "Multi-worker team", "member_ids": [(6, 0, reps.ids)]}})
customers = env["res.partner"].create([
    {{"name": f"Customer {{i}}", "is_company": True, "customer_rank": 1,
      "user_id": reps[i % {REPS}].id}}
    for i in range({CUSTOMERS})
])
env.flush_all()
# owned for more than a year without any follow-up: every one of them is stale
env.cr.execute(
    "UPDATE res_partner SET create_date = now() - interval '400 days' WHERE id = ANY(%s)",
    [customers.ids],
)
env.cr.execute(
    "DELETE FROM sales_compliance_ownership_log WHERE partner_id = ANY(%s)", [customers.ids]
)
ICP = env["ir.config_parameter"]
ICP.set_param("sales_compliance.release_days", 90)
ICP.set_param("sales_compliance.release_notice_days", 7)
ICP.set_param("sales_compliance.release_batch_size", 20)
ICP.set_param("sales_targets.cron_batch_size", 2)
today = fields.Date.today()
revenue = env.ref("sales_targets.metric_revenue")
plans = env["sales.target.plan"].create([
    {{"name": f"Plan {{i}}", "date_from": today.replace(month=1, day=1),
      "date_to": today.replace(month=12, day=31),
      "metric_ids": [(6, 0, revenue.ids)]}}
    for i in range({PLANS})
])
plans.action_generate_top_targets()
plans.action_approve()
env["sales.commission.scheme"].create({{
    "name": "Multi-worker plan",
    "assignment_ids": [(0, 0, {{"team_id": team.id}})],
}})
crons = env["ir.model.data"].search(
    [("model", "=", "ir.cron"), ("module", "in", {list(SUITE)!r})]
).mapped(lambda d: env["ir.cron"].browse(d.res_id))
past = fields.Datetime.now() - relativedelta(minutes=5)
twins = env["ir.cron"]
for cron in crons:
    twins |= cron.copy({{"name": cron.name + " (second host)"}})
(crons | twins).write({{"active": True, "nextcall": past}})
# only the suite's jobs are due: Odoo's own wait until tomorrow
env["ir.cron"].search([("id", "not in", (crons | twins).ids)]).write(
    {{"nextcall": fields.Datetime.now() + relativedelta(days=1)}}
)
env.cr.commit()
print("CRONS", ",".join(str(i) for i in (crons | twins).ids))
"""


def odoo(*args, stdin=None):
    cmd = [sys.executable, "-m", "odoo", *args[:1], "-c", "config/odoo.conf"]
    cmd += [f"--addons-path={ROOT / 'addons'}", *args[1:]]
    result = subprocess.run(
        cmd, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def query(db, sql, params=()):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        rows = cr.fetchall()
    conn.close()
    return rows


@pytest.fixture
def scratch_db():
    name = f"sales_multiworker_{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run([sys.executable, "scripts/preflight.py", "drop", name], cwd=ROOT, check=False)


def wake_cron_workers(db, log, server):
    """Once both cron workers listen, notify them (as ``ir.cron._trigger`` does) until a job
    starts: otherwise they first sleep a minute."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        if "ir_cron: Job" in text:
            return
        if len(re.findall(r"Worker WorkerCron \(\d+\) alive", text)) >= 2:
            with psycopg2.connect(dbname="postgres") as conn, conn.cursor() as cr:
                cr.execute("SELECT pg_notify('cron_trigger', %s)", (db,))
            conn.close()
        time.sleep(2)
    pytest.fail("the cron workers did not start")


def wait_for_crons(db, cron_ids, started, server):
    """Until every cron ran and was rescheduled for later (fully done), polling the database."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        pending = query(
            db,
            "SELECT count(*) FROM ir_cron WHERE id = ANY(%s)"
            " AND (lastcall IS NULL OR lastcall < %s OR nextcall <= now() at time zone 'UTC')",
            (cron_ids, started),
        )[0][0]
        if not pending:
            return
        time.sleep(1)
    pytest.fail(f"the crons did not finish in {TIMEOUT}s")


def test_crons_run_concurrently_in_two_workers_without_double_processing(scratch_db, tmp_path):
    odoo(
        "server",
        "-d",
        scratch_db,
        "-i",
        ",".join(CRON_ADDONS),
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=warn",
        "--logfile=",
    )
    out = odoo("shell", "-d", scratch_db, "--no-http", "--log-level=warn", stdin=PREPARE)
    cron_ids = [int(i) for i in re.search(r"^CRONS (.+)$", out, re.M).group(1).split(",")]
    customers = [
        r[0]
        for r in query(scratch_db, "SELECT id FROM res_partner WHERE name LIKE %s", ("Customer %",))
    ]
    assert len(customers) == CUSTOMERS
    assert len(cron_ids) >= 6, "ownership release, achievement refresh and statements, twice"

    log = tmp_path / "server.log"
    # odoo-bin's equivalent: the prefork server spawns its gevent process as sys.argv[0]
    launcher = tmp_path / "odoo-bin"
    launcher.write_text("from odoo.cli.command import main\nmain()\n", encoding="utf-8")
    started = query(scratch_db, "SELECT now() at time zone 'UTC'")[0][0]
    output = (tmp_path / "server.out").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            str(launcher),
            "server",
            "-c",
            "config/odoo.conf",
            f"--addons-path={ROOT / 'addons'}",
            "-d",
            scratch_db,
            f"--db-filter=^{scratch_db}$",
            "--workers=2",
            "--max-cron-threads=2",
            f"--http-port={free_port()}",
            f"--gevent-port={free_port()}",
            "--log-level=info",
            f"--logfile={log}",
        ],
        cwd=ROOT,
        # Odoo's own switch: a job left partially done wakes the workers again at once
        env={**os.environ, "ODOO_NOTIFY_CRON_CHANGES": "1"},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wake_cron_workers(scratch_db, log, server)
        wait_for_crons(scratch_db, cron_ids, started, server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        output.close()
    text = log.read_text(encoding="utf-8")

    # both cron workers ran the suite's jobs, and none failed
    runners = set(
        re.findall(
            r"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job .* starting",
            text,
            re.M,
        )
    )
    assert len(runners) == 2, f"jobs ran in {len(runners)} cron worker(s)"
    failures = [
        line
        for line in text.splitlines()
        if re.search(r" (ERROR|CRITICAL) |Exception in cron|Job .* failed", line)
    ]
    assert failures == [], failures[:5]

    # ownership release: each stale customer told once and released once, none left
    owned = query(
        scratch_db,
        "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND user_id IS NOT NULL",
        (customers,),
    )[0][0]
    assert owned == 0
    releases = dict(
        query(
            scratch_db,
            "SELECT partner_id, count(*) FROM sales_compliance_ownership_log"
            " WHERE partner_id = ANY(%s) AND reason = 'auto_release' GROUP BY partner_id",
            (customers,),
        )
    )
    assert len(releases) == CUSTOMERS
    assert set(releases.values()) == {1}, "a customer was released twice"
    notices = dict(
        query(
            scratch_db,
            "SELECT res_id, count(*) FROM mail_message WHERE model = 'res.partner'"
            " AND res_id = ANY(%s) AND body::text LIKE %s GROUP BY res_id",
            (customers, "%public pool%"),
        )
    )
    assert len(notices) == CUSTOMERS
    assert set(notices.values()) == {1}, "an owner was told twice"

    # achievement refresh: every plan refreshed, each exactly once over both workers
    refreshed = query(
        scratch_db,
        "SELECT count(*) FROM sales_target_plan WHERE achievement_refreshed_at >= %s",
        (started,),
    )[0][0]
    assert refreshed == PLANS
    counted = sum(int(n) for n in re.findall(r"Sales targets: refreshed (\d+) plans", text))
    assert counted == PLANS, f"{counted} plan refreshes for {PLANS} plans"

    # statements: one per salesperson for last month, however many runs
    statements = query(
        scratch_db,
        "SELECT s.user_id, count(*) FROM sales_commission_statement s"
        " JOIN sales_commission_scheme c ON c.id = s.scheme_id"
        " WHERE c.name->>'en_US' = 'Multi-worker plan' GROUP BY s.user_id",
    )
    assert len(statements) == REPS
    assert {count for _user, count in statements} == {1}
