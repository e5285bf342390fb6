#!/usr/bin/env python3
"""Screenshots of the suite's main screens, as a user sees them, in English and Chinese.

Needs a running `scripts/run` (http://127.0.0.1:8069, database sales_demo), Debian's chromium
and the `playwright` Python package (`pip install playwright`; no browser download: it drives
/usr/bin/chromium). Writes PNG files to docs/screenshots/ (or --out).

    python3 scripts/screenshots.py [--url http://127.0.0.1:8069] [--out docs/screenshots]
    python3 scripts/screenshots.py --only my-day   # My day of a rep and of a team leader
    python3 scripts/screenshots.py --only phone    # My day, a receipt page, approvals at 390x844

The SCREENS are taken as --login, in each language; the MY_DAY screens as their own user, in
their own language (the user's language is set to it, and stays so). The Chinese screens need
zh_CN loaded in the database with the addons' translations.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENS = [
    ("compliance-violations", "sales_compliance.action_compliance_violation", "list"),
    ("compliance-rate", "sales_compliance.action_compliance_rate_report", "pivot"),
    ("compliance-approvals", "sales_compliance.action_compliance_approval", "list"),
    ("compliance-public-pool", "sales_compliance.action_compliance_public_pool", "list"),
    ("targets-tree", "sales_targets.action_sales_target_tree", "list"),
    ("targets-team-dashboard", "sales_targets.action_team_dashboard", None),
    ("commission-statements", "sales_targets.action_sales_commission_statement", "list"),
    ("whatif-side-by-side", "sales_targets.action_sales_commission_whatif_line", "pivot"),
    ("whatif-payout-curves", "sales_targets.action_sales_commission_whatif_curve", "graph"),
    ("rule-dry-run", "sales_compliance.action_compliance_rule_dry_run_line", "pivot"),
    ("forecast", "sales_targets.action_sales_forecast_report", None),
    ("assistant-collection-plans", "sales_assistant.action_sales_collection_plan", "list"),
    ("assistant-overdue", "sales_assistant.action_sales_collection_overdue_report", "pivot"),
    ("assistant-late-deliveries", "sales_assistant.action_sales_late_delivery", "list"),
    ("assistant-customer-receipts", "sales_assistant.action_sales_receipt_confirmation", "list"),
    ("contracts-register", "sales_assistant.action_sales_contract", "list"),
    ("work-reports-discipline", "sales_assistant.action_work_report_discipline", "list"),
    ("call-register", "sales_assistant.action_register_entry_call", "list"),
    ("complaints-board", "sales_assistant.action_sales_complaint", "kanban"),
    ("complaints-analysis", "sales_assistant.action_sales_complaint_analysis", "pivot"),
    ("satisfaction-analysis", "sales_assistant.action_sales_satisfaction_report", "pivot"),
]
# One contract's form: the largest current version in performance (else signed), in each language
CONTRACT_FORM = ("contract-form", "sales_assistant.action_sales_contract")
LANGUAGES = {"en": "en_US", "zh": "zh_CN"}
# One day's report as its leader sees it: reviewed, with highlights, the newest
WORK_REPORT_FORM = ("work-report-form", "sales_assistant.action_sales_work_report_team")
# The customer's complaints on the portal (a seeded customer with a portal login), in English
PORTAL = ("portal-complaint", "seed.customer001@sales-suite.example.com", "demo")
# My day of a salesperson and of a team leader (the seed's first leader leads the demo's team):
# (name, login, password, language suffix)
MY_DAY_ACTION = "sales_assistant.action_my_day"
MY_DAY = [
    ("my-day-rep", "demo", "demo", "en"),
    ("my-day-leader", "seed.leader001@sales-suite.example.com", "demo", "zh"),
]

# Phone-size screens (390x844, touch): My day of a rep, the customer's receipt page of an order
# waiting for it (from the link of the delivery e-mail) and the leader's approvals (kanban on
# a phone): (name, login, password, language suffix)
PHONE_SIZE = {"width": 390, "height": 844}
PHONE_MY_DAY = ("phone-my-day", "demo", "demo", "zh")
PHONE_RECEIPT = "phone-receipt"
PHONE_APPROVALS = ("phone-approvals", "seed.leader001@sales-suite.example.com", "demo", "en")
PHONE_APPROVALS_ACTION = "sales_compliance.action_compliance_approval"
# the approval page of a signed link, opened by its approver from their request e-mail
PHONE_APPROVAL_PAGE = "phone-approval-link"
APPROVERS = (
    *(f"seed.leader00{i}@sales-suite.example.com" for i in range(1, 5)),
    "seed.director001@sales-suite.example.com",
)


def rpc(page, url, model, method, args):
    """A JSON-RPC call with the browser's session, as the web client makes it."""
    params = {"model": model, "method": method, "args": args, "kwargs": {}}
    response = page.request.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        data={"jsonrpc": "2.0", "method": "call", "params": params},
    )
    result = response.json()
    if "error" in result:
        raise RuntimeError(result["error"]["data"]["message"])
    return result["result"]


def log_in(page, url, db, login, password):
    """Log in with the form, as a user does; returns the user's id."""
    page.goto(f"{url}/web/login?db={db}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar")
    return page.request.post(
        f"{url}/web/session/get_session_info", data={"jsonrpc": "2.0", "params": {}}
    ).json()["result"]["uid"]


def rpc_search(page, url, model, domain, order):
    params = {"model": model, "method": "search", "args": [domain], "kwargs": {"order": order}}
    response = page.request.post(
        f"{url}/web/dataset/call_kw/{model}/search",
        data={"jsonrpc": "2.0", "method": "call", "params": params},
    )
    return response.json().get("result") or []


def shown_contract(page, url):
    """The contract whose form is shown: the largest current version in performance, else
    the largest signed one; None without any."""
    for state in ("performance", "signed"):
        ids = rpc_search(
            page,
            url,
            "sales.contract",
            [("is_head", "=", True), ("state", "=", state)],
            "amount desc, id",
        )
        if ids:
            return ids[0]
    return None


def shown_work_report(page, url):
    """The day's report whose form is shown: the newest reviewed one with highlights."""
    ids = rpc_search(
        page,
        url,
        "sales.work.report",
        [("state", "=", "reviewed"), ("period", "=", "day"), ("highlights", "!=", False)],
        "date_from desc, id",
    )
    return ids[0] if ids else None


def shoot_portal(browser, url, db, login, password, path):
    """The customer's newest complaint on the portal, logged in as the customer."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/web/login?db={db}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    ids = rpc_search(page, url, "sales.complaint", [], "id desc")
    if not ids:
        print(f"no complaint of {login}: no portal screen", file=sys.stderr)
    else:
        page.goto(f"{url}/my/complaints/{ids[0]}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(800)
        page.screenshot(path=str(path), full_page=True)
        print(path)
    page.context.close()


def shoot(page, url, action, view, path, ready=".o_action_manager .o_action", record=None):
    """Open the action (in the view, or on the record's form) and save the window once it
    has drawn."""
    target = f"{url}/odoo/action-{action}"
    if record:
        target += f"/{record}"
    elif view:
        target += f"?view_type={view}"
    page.goto(target)
    page.wait_for_selector(ready, timeout=30000)
    page.wait_for_timeout(1500)
    # the morning digest's notification at login is not part of the screen
    for close in page.query_selector_all(".o_notification_close"):
        close.click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    print(path)


def phone_page(browser):
    return browser.new_page(viewport=PHONE_SIZE, is_mobile=True, has_touch=True)


def shoot_phone(browser, url, db, login, password, suffix, action, path, ready):
    """One action of the web client as ``login`` sees it on a phone, in their language."""
    page = phone_page(browser)
    uid = log_in(page, url, db, login, password)
    rpc(page, url, "res.users", "write", [[uid], {"lang": LANGUAGES[suffix]}])
    shoot(page, url, action, None, path, ready=ready)
    page.context.close()


def shoot_phone_receipt(browser, url, db, login, password, path):
    """The receipt page of the newest order waiting for its customer's receipt, opened from
    the link of the delivery e-mail (no login: the link's token is the key)."""
    admin = browser.new_page()
    log_in(admin, url, db, login, password)
    params = {
        "model": "sale.order",
        "method": "search_read",
        "args": [[("receipt_state", "=", "awaiting"), ("receipt_token", "!=", False)]],
        "kwargs": {"fields": ["receipt_token"], "order": "id desc", "limit": 1},
    }
    response = admin.request.post(
        f"{url}/web/dataset/call_kw/sale.order/search_read",
        data={"jsonrpc": "2.0", "method": "call", "params": params},
    )
    orders = response.json().get("result") or []
    admin.context.close()
    if not orders:
        print("no order waiting for its receipt: no phone receipt screen", file=sys.stderr)
        return
    page = phone_page(browser)
    order = orders[0]
    page.goto(f"{url}/my/orders/{order['id']}/receipt?token={order['receipt_token']}")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    print(path)
    page.context.close()


def shoot_phone_approval_page(browser, url, db, password, suffix, path):
    """The page of the Approve link of the newest request e-mail an approver of the demo
    received for a request still waiting for them, opened on their phone, logged in."""
    for login in APPROVERS:
        page = phone_page(browser)
        uid = log_in(page, url, db, login, password)
        rpc(page, url, "res.users", "write", [[uid], {"lang": LANGUAGES[suffix]}])
        # the pages outside the web client take the language of the session, set at login
        page.goto(f"{url}/web/session/logout")
        log_in(page, url, db, login, password)
        user = rpc(page, url, "res.users", "read", [[uid], ["partner_id"]])[0]
        params = {
            "model": "mail.message",
            "method": "search_read",
            "args": [
                [
                    ("model", "=", "sales.compliance.approval"),
                    ("message_type", "=", "user_notification"),
                    ("partner_ids", "in", [user["partner_id"][0]]),
                ]
            ],
            "kwargs": {"fields": ["body", "res_id"], "order": "id desc", "limit": 20},
        }
        mails = (
            page.request.post(
                f"{url}/web/dataset/call_kw/mail.message/search_read",
                data={"jsonrpc": "2.0", "method": "call", "params": params},
            )
            .json()
            .get("result")
            or []
        )
        waiting = set(
            rpc_search(
                page,
                url,
                "sales.compliance.approval",
                [("state", "=", "pending"), ("pending_approver_ids", "in", [uid])],
                "id desc",
            )
        )
        for mail in mails:
            found = re.search(r'href="[^"]*(/sales/approval/[^"?]+)', mail["body"] or "")
            if mail["res_id"] in waiting and found:
                page.goto(f"{url}{found.group(1)}")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(500)
                page.screenshot(path=str(path), full_page=True)
                print(path)
                page.context.close()
                return
        page.context.close()
    print("no request e-mail waiting for an approver: no approval page", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="sales_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", help="screens whose name starts with one of these")
    args = parser.parse_args(argv)
    wanted = tuple(args.only or ())
    screens = [s for s in SCREENS if not wanted or s[0].startswith(wanted)]
    contract_form = not wanted or CONTRACT_FORM[0].startswith(wanted)
    report_form = not wanted or WORK_REPORT_FORM[0].startswith(wanted)
    portal = not wanted or PORTAL[0].startswith(wanted)
    my_days = [s for s in MY_DAY if not wanted or s[0].startswith(wanted)]
    phone_names = (PHONE_MY_DAY[0], PHONE_RECEIPT, PHONE_APPROVALS[0], PHONE_APPROVAL_PAGE)
    phone = [n for n in phone_names if not wanted or n.startswith(wanted)]
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        print("error: pip install playwright (it drives Debian's chromium)", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        if screens or contract_form or report_form:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            uid = log_in(page, args.url, args.db, args.login, args.password)
            contract = shown_contract(page, args.url) if contract_form else None
            if contract_form and not contract:
                print("no contract in force: no contract form", file=sys.stderr)
            report = shown_work_report(page, args.url) if report_form else None
            for suffix, lang in LANGUAGES.items():
                rpc(page, args.url, "res.users", "write", [[uid], {"lang": lang}])
                # a session keeps the language it logged in with: log in again in this one
                page.context.clear_cookies()
                log_in(page, args.url, args.db, args.login, args.password)
                for name, action, view in screens:
                    shoot(page, args.url, action, view, out / f"{name}-{suffix}.png")
                if contract:
                    name, action = CONTRACT_FORM
                    shoot(
                        page,
                        args.url,
                        action,
                        None,
                        out / f"{name}-{suffix}.png",
                        ready=".o_form_view .o_statusbar_status",
                        record=contract,
                    )
                if report:
                    name, action = WORK_REPORT_FORM
                    shoot(
                        page,
                        args.url,
                        action,
                        None,
                        out / f"{name}-{suffix}.png",
                        ready=".o_form_view .o_statusbar_status",
                        record=report,
                    )
            page.context.close()
        if portal:
            name, login, password = PORTAL
            shoot_portal(browser, args.url, args.db, login, password, out / f"{name}-en.png")
        for name, login, password, suffix in my_days:
            # each user in a session of their own
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            uid = log_in(page, args.url, args.db, login, password)
            rpc(page, args.url, "res.users", "write", [[uid], {"lang": LANGUAGES[suffix]}])
            shoot(
                page,
                args.url,
                MY_DAY_ACTION,
                None,
                out / f"{name}-{suffix}.png",
                ready=".o_sales_assistant_my_day .o_my_day_section",
            )
            page.context.close()
        if PHONE_MY_DAY[0] in phone:
            name, login, password, suffix = PHONE_MY_DAY
            shoot_phone(
                browser,
                args.url,
                args.db,
                login,
                password,
                suffix,
                MY_DAY_ACTION,
                out / f"{name}-{suffix}.png",
                ".o_sales_assistant_my_day .o_my_day_section",
            )
        if PHONE_RECEIPT in phone:
            path = out / f"{PHONE_RECEIPT}-en.png"
            shoot_phone_receipt(browser, args.url, args.db, args.login, args.password, path)
        if PHONE_APPROVALS[0] in phone:
            name, login, password, suffix = PHONE_APPROVALS
            shoot_phone(
                browser,
                args.url,
                args.db,
                login,
                password,
                suffix,
                PHONE_APPROVALS_ACTION,
                out / f"{name}-{suffix}.png",
                ".o_kanban_view",
            )
        if PHONE_APPROVAL_PAGE in phone:
            for suffix in LANGUAGES:
                path = out / f"{PHONE_APPROVAL_PAGE}-{suffix}.png"
                shoot_phone_approval_page(browser, args.url, args.db, "demo", suffix, path)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
