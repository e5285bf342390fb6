"""The suite behind a read replica: the screens are read there, and nothing in them writes.

Since 18.0 Odoo sends the requests of its read-only routes to a streaming replica
(``db_replica_host``/``db_replica_port``): ``/web/action/load``, ``/web/webclient/load_menus``,
``/report/html``, and ``/web/dataset/call_kw`` for the methods marked ``@api.readonly``
(``web_search_read``, ``web_read``, ``read_group``, ``get_views``, the suite's
``get_my_day``...). A write in such a request fails on the replica with "cannot execute
INSERT in a read-only transaction", and Odoo then runs the whole request again on the primary
(``odoo.http.Request._transactioning``), logging a warning "..., retrying with a read/write
cursor". So the user sees no error, and a read path that writes is hidden: it costs a wasted
request on every screen, and the primary takes back the load the replica was for.

This test makes the writes visible. It copies the session's test database (``CREATE DATABASE
... TEMPLATE``), starts a second PostgreSQL cluster as a streaming replica of the local one
(``replica_cluster.py``: ``pg_basebackup``, a slot, a unix socket in a private directory,
``log_statement = all``) and Odoo with ``--db_replica_host`` pointing at it. It logs in over
JSON-RPC as a rep, a team leader, a compliance officer and the admin and, for every menu of
the suite each one sees, does what the web client does: loads the action and its views, reads
the list (or kanban) with its view's fields, the first record with its form's fields, and the
pivot and graph views grouped as their arch says; then My day, the contract and commission
statement reports as HTML. After each request it reads what the request left in two logs:

- the replica's: statements of this Odoo's connections on the copy (served from the replica),
  and no "read-only transaction" error (a write, even one the code caught);
- Odoo's: no "retrying with a read/write cursor" (a write that sent the request to the primary).

Writes still go to the primary: the set-up (users, a customer, a contract, a day's report)
is made over JSON-RPC and found on the primary. The action's search defaults (``search_default_*``)
are not applied: the screens are read unfiltered, as much as the user may see.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path

import preflight
import psycopg2
import pytest
import requests
from lxml import etree
from odoo_process import free_port
from replica_cluster import replica_unavailable, streaming_replica

import odoo
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval
from odoo.tools.safe_eval import time as safe_time

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")
SCREEN_ACTIONS = ("ir.actions.act_window", "ir.actions.client")
RETRIED = "retrying with a read/write cursor"
READ_ONLY_ERROR = re.compile(r"ERROR: .*read-only transaction")
PASSWORD = "replica-Test-2025"


class RpcError(AssertionError):
    pass


class Client:
    """A user's web session on the server: JSON-RPC as the web client sends it."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.http = requests.Session()
        self.calls = 0
        info = self.json("/web/session/authenticate", db=db, login=login, password=password)
        self.uid = info["uid"]
        self.context = info["user_context"]
        self.company_id = info["user_companies"]["current_company"]

    def json(self, path, **params):
        self.calls += 1
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": self.calls}
        body = self.http.post(self.url + path, json=payload, timeout=120).json()
        if "error" in body:
            data = body["error"].get("data", {})
            raise RpcError(f"{path}: {data.get('name')}: {data.get('message')}")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", dict(self.context, allowed_company_ids=[self.company_id]))
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )

    def get(self, path):
        response = self.http.get(self.url + path, timeout=120)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        return response.text


class Logs:
    """What the replica's and Odoo's logs gained since the last look."""

    def __init__(self, replica_log, odoo_log, db, server_pid):
        self.paths = {"replica": replica_log, "odoo": odoo_log}
        self.offsets = dict.fromkeys(self.paths, 0)
        self.ours = f"odoo-{server_pid}@{db} "
        self.skip()

    def _new(self, name):
        path = self.paths[name]
        if not path.exists():
            return ""
        with path.open("rb") as log:
            log.seek(self.offsets[name])
            text = log.read()
            self.offsets[name] += len(text)
        return text.decode("utf-8", errors="replace")

    def skip(self):
        for name in self.paths:
            self._new(name)

    def since_last(self):
        """(statements of this Odoo on the replica, writes refused there, retries on the
        primary) since the last call."""
        replica, server = self._new("replica"), self._new("odoo")
        lines = replica.splitlines()
        served = sum(1 for line in lines if self.ours in line and "statement: " in line)
        # a refused write, and the statement refused (the line after the error)
        refused = [
            f"{line} {lines[i + 1] if i + 1 < len(lines) else ''}"
            for i, line in enumerate(lines)
            if READ_ONLY_ERROR.search(line)
        ]
        retried = [line for line in server.splitlines() if RETRIED in line]
        return served, refused, retried


def _eval(text, client, default):
    if not isinstance(text, str):
        return text or default
    names = {
        "uid": client.uid,
        "context_today": date.today,
        "datetime": safe_datetime,
        "relativedelta": dateutil.relativedelta.relativedelta,
        "time": safe_time,
        "active_id": False,
        "active_ids": [],
        "allowed_company_ids": [client.company_id],
        "context": client.context,
    }
    try:
        return safe_eval(text, names)
    except Exception:
        return default  # an expression of the client's own (a record it has open)


def _view_fields(arch, fields, nested=True):
    """The fields an arch shows (not those of its x2many sub-views), as a web_read spec."""
    root = etree.fromstring(arch)
    spec = {}
    for node in root.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        field = fields.get(name)
        if not field:
            continue
        relational = field["type"] in ("many2one", "one2many", "many2many")
        spec[name] = {"fields": {"display_name": {}}} if relational and nested else {}
    return spec


def _grouping(arch, fields):
    """A pivot's or graph's groupby and measures, from its arch."""
    groupby, measures = [], ["__count"]
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        if name not in fields:
            continue
        if node.get("type") == "measure":
            measures.append(name)
        elif node.get("type") in ("row", "col", None):
            interval = node.get("interval")
            groupby.append(f"{name}:{interval}" if interval else name)
    return groupby, measures


def open_screen(client, action_id, logs, reads):
    """Do what the web client does to show an action: load it, its views, its data."""
    action = client.json("/web/action/load", action_id=action_id)
    name = f"{action.get('xml_id') or action_id} ({action.get('name')})"
    reads.append((name, "load", *logs.since_last()))
    if action["type"] == "ir.actions.client":
        if action["tag"] == "sales_assistant.my_day":
            client.call("sales.assistant.day", "get_my_day")
            reads.append((name, "get_my_day", *logs.since_last()))
        return
    model = action["res_model"]
    views = [list(view) for view in action["views"]]
    views.append([action.get("search_view_id") and action["search_view_id"][0], "search"])
    context = dict(client.context, **_eval(action.get("context"), client, {}))
    context["allowed_company_ids"] = [client.company_id]
    domain = _eval(action.get("domain"), client, [])
    result = client.call(
        model,
        "get_views",
        views=views,
        options={"action_id": action_id, "load_filters": True, "toolbar": True},
        context=context,
    )
    reads.append((name, "get_views", *logs.since_last()))
    fields = result["models"][model]["fields"]
    arches = {kind: view["arch"] for kind, view in result["views"].items()}
    first = next((kind for _id, kind in action["views"] if kind in ("list", "kanban")), None)
    records = []
    if first:
        spec = _view_fields(arches[first], fields)
        page = client.call(
            model,
            "web_search_read",
            domain,
            spec,
            limit=80 if first == "list" else 40,
            context=context,
        )
        records = page["records"]
        reads.append((name, f"{first} web_search_read", *logs.since_last()))
    if "form" in arches and records:
        spec = _view_fields(arches["form"], fields)
        client.call(model, "web_read", [records[0]["id"]], spec, context=context)
        reads.append((name, "form web_read", *logs.since_last()))
    for kind in ("pivot", "graph"):
        if kind in arches:
            groupby, measures = _grouping(arches[kind], fields)
            client.call(model, "read_group", domain, measures, groupby, lazy=False, context=context)
            reads.append((name, f"{kind} read_group", *logs.since_last()))


def suite_screens(client):
    """The actions of the suite's menus this user sees (the web client's menu)."""
    menus = json.loads(client.get(f"/web/webclient/load_menus/{uuid.uuid4().hex}"))
    return sorted(
        {
            menu["actionID"]
            for menu in menus.values()
            if isinstance(menu, dict)
            and (menu.get("xmlid") or "").split(".")[0] in SUITE
            and menu.get("actionModel") in SCREEN_ACTIONS
        }
    )


def primary_query(db, sql, params=()):
    conn = preflight.connect(preflight.connection_params(ROOT / "config" / "odoo.conf"), db)
    conn.autocommit = True  # CREATE DATABASE runs outside a transaction
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None
    finally:
        conn.close()


@pytest.fixture
def replica_db():
    """A copy of the session's test database (the suite and its demo data), dropped after.
    A template has no other connection: this session's are closed first (its pool's idle
    ones; those still open after a while are ended, Odoo's pool replaces a dead one)."""
    source = odoo.tools.config["db_name"]
    params = preflight.connection_params(ROOT / "config" / "odoo.conf")
    name = f"sales_replica_{uuid.uuid4().hex[:8]}"
    for attempt in range(10):
        odoo.sql_db.close_db(source)
        if attempt >= 5:
            primary_query(
                "postgres",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND application_name = %s",
                (source, f"odoo-{os.getpid()}"),
            )
        try:
            primary_query("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
            break
        except psycopg2.errors.ObjectInUse:
            if attempt == 9:
                raise
            time.sleep(1)
    try:
        yield name
    finally:
        preflight.drop_db(params, name)


@pytest.fixture
def server(replica_db, tmp_path):
    params = preflight.connection_params(ROOT / "config" / "odoo.conf")
    reason = replica_unavailable(params)
    if reason:
        pytest.skip(reason)
    filestore = Path(odoo.tools.config.filestore(odoo.tools.config["db_name"]))
    if filestore.exists():
        shutil.copytree(filestore, tmp_path / "data" / "filestore" / replica_db)
    with streaming_replica(params) as replica:
        port = free_port()
        log = tmp_path / "odoo.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "odoo",
                "server",
                "-c",
                "config/odoo.conf",
                f"--addons-path={ROOT / 'addons'}",
                f"--data-dir={tmp_path / 'data'}",
                "-d",
                replica_db,
                f"--db-filter=^{replica_db}$",
                "--workers=0",
                "--max-cron-threads=0",
                f"--http-port={port}",
                f"--db_replica_host={replica.socket_dir}",
                f"--db_replica_port={replica.port}",
                "--log-level=info",
                f"--logfile={log}",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                assert process.poll() is None, log.read_text()[-3000:]
                try:
                    if requests.get(url + "/web/health", timeout=5).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or loading
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
            yield url, replica_db, replica, log, process.pid
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _xmlid(db, xmlid):
    module, name = xmlid.split(".")
    return primary_query(
        db, "SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", (module, name)
    )[0][0]


def _set_up(url, db):
    """The users and records of the screens, written over JSON-RPC (so: on the primary)."""
    admin = Client(url, db, "admin", "admin")
    groups = {
        "leader": ["base.group_user", "sales_team.group_sale_salesman_all_leads"],
        "officer": ["base.group_user", "sales_compliance.group_compliance_officer"],
    }
    logins = {}
    for role, xmlids in groups.items():
        login = f"replica.{role}.{uuid.uuid4().hex[:6]}"
        admin.call(
            "res.users",
            "create",
            {
                "name": f"Replica {role}",
                "login": login,
                "password": PASSWORD,
                "groups_id": [(6, 0, [_xmlid(db, x) for x in xmlids])],
            },
        )
        logins[role] = login
    rep_id = _xmlid(db, "base.user_demo")
    leader_id = primary_query(db, "SELECT id FROM res_users WHERE login = %s", (logins["leader"],))
    team_id = primary_query(
        db, "SELECT crm_team_id FROM crm_team_member WHERE user_id = %s LIMIT 1", (rep_id,)
    )[0][0]
    admin.call("crm.team", "write", [team_id], {"user_id": leader_id[0][0]})
    rep = Client(url, db, "demo", "demo")
    customer_id = rep.call(
        "res.partner", "create", {"name": "深圳市复制电子有限公司", "is_company": True}
    )
    today = date.today()
    rep.call(
        "sales.contract",
        "create",
        {
            "partner_id": customer_id,
            "title": "Read replica supply",
            "amount": 50000.0,
            "date_start": str(today),
            "date_end": str(today.replace(year=today.year + 1)),
        },
    )
    report_id = rep.call("sales.work.report", "create", {})
    # a draft prepared this morning: the form shows its facts as of now
    primary_query(
        db,
        "UPDATE sales_work_report SET facts_date = now() - interval '3 hours' WHERE id = %s",
        (report_id,),
    )
    return admin, rep, logins


def test_the_suites_screens_are_read_from_the_replica_and_write_nothing(server):
    started = time.monotonic()
    url, db, replica, log, pid = server
    admin, rep, logins = _set_up(url, db)
    logs = Logs(replica.log, log, db, pid)

    # a write goes to the primary, and not a statement of it to the replica
    customer_id = rep.call("res.partner", "create", {"name": "广州市主库贸易有限公司"})
    assert logs.since_last() == (0, [], [])
    assert primary_query(db, "SELECT name FROM res_partner WHERE id = %s", (customer_id,)) == [
        ("广州市主库贸易有限公司",)
    ]
    replica.wait_for_replay(db)
    with closing(replica.connect(db)) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT pg_is_in_recovery(), count(*) FROM res_partner WHERE id = %s", (customer_id,)
        )
        assert cr.fetchone() == (True, 1), "the replica streams what the primary wrote"

    clients = {
        "rep": rep,
        "leader": Client(url, db, logins["leader"], PASSWORD),
        "officer": Client(url, db, logins["officer"], PASSWORD),
        "admin": admin,
    }
    reads = []
    for role, client in clients.items():
        actions = suite_screens(client)
        logs.skip()
        assert actions, f"the {role} sees no screen of the suite"
        for action_id in actions:
            open_screen(client, action_id, logs, reads)
        if role == "admin":
            for report, model in (
                ("sales_assistant.report_sales_contract", "sales.contract"),
                ("sales_targets.report_commission_statement", "sales.commission.statement"),
            ):
                ids = client.call(model, "search", [], limit=3)
                if ids:
                    client.get(f"/report/html/{report}/{','.join(map(str, ids))}")
                    reads.append((report, "html", *logs.since_last()))

    elapsed = time.monotonic() - started
    screens = {name for name, *_rest in reads}
    print(f"{len(reads)} reads of {len(screens)} screens in {elapsed:.0f}s")
    assert len(screens) > 40, screens
    assert any("my_day" in name for name in screens), "My day was opened"
    assert any("action_sales_contract" in name for name in screens), "the contract register"
    assert "sales_assistant.report_sales_contract" in screens, "a contract printed"
    not_served = [(name, step) for name, step, served, *_rest in reads if not served]
    assert not_served == [], "read on the primary, not on the replica"
    writes = [
        (name, step, refused, retried)
        for name, step, _n, refused, retried in reads
        if refused or retried
    ]
    assert writes == [], "a read path writes:\n" + "\n".join(map(str, writes))
