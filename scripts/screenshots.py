#!/usr/bin/env python3
"""Screenshots of the suite's main screens, as a user sees them, in English and Chinese.

Needs a running `scripts/run` (http://127.0.0.1:8069, database sales_demo), Debian's chromium
and the `playwright` Python package (`pip install playwright`; no browser download: it drives
/usr/bin/chromium). Writes PNG files to docs/screenshots/ (or --out).

    python3 scripts/screenshots.py [--url http://127.0.0.1:8069] [--out docs/screenshots]
"""

import argparse
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
    ("forecast", "sales_targets.action_sales_forecast_report", None),
    ("assistant-collection-plans", "sales_assistant.action_sales_collection_plan", "list"),
    ("assistant-overdue", "sales_assistant.action_sales_collection_overdue_report", "pivot"),
    ("assistant-late-deliveries", "sales_assistant.action_sales_late_delivery", "list"),
    ("assistant-customer-receipts", "sales_assistant.action_sales_receipt_confirmation", "list"),
]
LANGUAGES = {"en": "en_US", "zh": "zh_CN"}


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="sales_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", nargs="*", help="screens whose name starts with one of these")
    args = parser.parse_args(argv)
    screens = [s for s in SCREENS if not args.only or s[0].startswith(tuple(args.only))]
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
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{args.url}/web/login?db={args.db}")
        page.fill("input[name=login]", args.login)
        page.fill("input[name=password]", args.password)
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar")
        uid = page.request.post(
            f"{args.url}/web/session/get_session_info", data={"jsonrpc": "2.0", "params": {}}
        ).json()["result"]["uid"]
        for suffix, lang in LANGUAGES.items():
            rpc(page, args.url, "res.users", "write", [[uid], {"lang": lang}])
            for name, action, view in screens:
                url = f"{args.url}/odoo/action-{action}"
                if view:
                    url += f"?view_type={view}"
                page.goto(url)
                page.wait_for_selector(".o_action_manager .o_action", timeout=30000)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"{name}-{suffix}.png"))
                print(out / f"{name}-{suffix}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
