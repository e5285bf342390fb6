"""sales_compliance's approval page (issue #21 §5): the phone-size page of a signed approval
link (``/sales/approval/<token>``), rendered in under 150 ms.

The page is served through Odoo's own WSGI application, in the benchmark's transaction (the
registry's test mode, as Odoo's HttpCase does it): routing, the link's checks, the request
summary and the QWeb page with its layout, as an approver's phone receives them. The company
allows approving without a login for the run (rolled back), so no session is needed."""

import statistics
import time

from . import benchmark

GOAL_MS = 150


def pending_request(env):
    """A pending request of the bench seed with an approver who may decide it, or None."""
    approvals = env["sales.compliance.approval"].search(
        [("state", "=", "pending"), ("current_step_id", "!=", False)], limit=50
    )
    for approval in approvals:
        for user in approval.current_step_id.approver_ids:
            if not approval.with_user(user).sudo()._decision_refusal(with_record=False):
                return approval, user
    return None


@benchmark("approval_page")
def bench_approval_page(env, runs=20):
    """GET of the approval page of a fresh link, ``runs`` times after a warm-up: median
    wall time and queries of one page."""
    from werkzeug.test import Client  # noqa: PLC0415

    import odoo  # noqa: PLC0415

    Link = env["sales.compliance.approval.link"]
    if not hasattr(Link, "_resolve"):
        return {"skipped": "skipped: sales.compliance.approval.link has no _resolve() yet"}
    found = pending_request(env)
    if not found:
        return {"skipped": "skipped: no pending approval request (seed the bench size)"}
    approval, approver = found
    approval.company_id.approval_link_without_login = True
    url = Link._issue(approval, approver)
    path = "/sales/approval/" + url.rsplit("/", 1)[1]
    env.flush_all()
    registry = env.registry
    registry.enter_test_mode(env.cr)
    try:
        client = Client(odoo.http.root)
        response = client.get(path)  # warm-up: the assets' bundles, the templates' cache
        if response.status_code != 200:
            return {"error": f"the page answered {response.status_code}"}
        times, queries = [], 0
        for _i in range(runs):
            env.invalidate_all()
            before = env.cr.sql_log_count
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            queries = env.cr.sql_log_count - before
    finally:
        registry.leave_test_mode()
    seconds = statistics.median(times)
    return {
        "approval": approval.display_name,
        "steps": len(approval.step_ids),
        "status": response.status_code,
        "bytes": len(response.data),
        "ms": round(1000 * seconds, 1),
        "queries": queries,
        "goal_ms": GOAL_MS,
        "met": 1000 * seconds < GOAL_MS,
    }
