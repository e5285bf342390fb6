from collections import defaultdict
from datetime import timedelta

from odoo import models

# Activity categories of the calls and meetings a report counts (``meeting`` comes with
# the calendar app)
CALL_CATEGORIES = ("phonecall", "meeting")


class SalesWorkReport(models.Model):
    """The facts of a salesperson's report, read from their homes: ``sales_targets``' metric
    readers (revenue, collected, new customers, visits), its targets, the late deliveries and
    the promises to pay of the assistant. One grouped query per fact and company, whatever
    the number of reports; team reports are rolled up elsewhere."""

    _inherit = "sales.work.report"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _facts_by_company(self):
        """``{company: (person reports, first day, last day, user ids)}``."""
        groups = defaultdict(list)
        for report in self:
            if report.scope == "person" and report.date_from and report.date_to:
                groups[report.company_id].append(report)
        return {
            company: (
                self.browse([report.id for report in reports]),
                min(report.date_from for report in reports),
                max(report.date_to for report in reports),
                list({report.user_id.id for report in reports}),
            )
            for company, reports in groups.items()
        }

    def _facts_per_day(self, daily, amount_field=None, count_field=None):
        """Sums ``daily`` (``{(user id, day): (amount, count)}``) over each report's days."""
        result = {}
        for report in self:
            amount = count = 0
            day = report.date_from
            while day <= report.date_to:
                value = daily.get((report.user_id.id, day))
                if value:
                    amount += value[0]
                    count += value[1]
                day += timedelta(days=1)
            facts = {}
            if amount_field:
                facts[amount_field] = report.currency_id.round(amount)
            if count_field:
                facts[count_field] = count
            result[report.id] = facts
        return result

    def _facts_metric(self, metric_type, amount_field=None, count_field=None):
        """A fact read by the metric type ``metric_type`` of ``sales_targets``, credited to
        the rep as their targets count it (split credit included, overlays left out)."""
        Metric = self.env["sales.target.metric"].sudo()
        metric = Metric.new(
            {
                "metric_type": metric_type,
                "activity_type_id": self.env["mail.activity"]._sales_visit_type().id,
            }
        )
        result = {}
        for company, (reports, first, last, user_ids) in self._facts_by_company().items():
            daily = defaultdict(lambda: [0.0, 0])
            rows = metric._fetch_facts(first, last, company, user_ids=user_ids)
            for user_id, _team, _company, day, overlay, amount, count in rows:
                if overlay or not user_id:
                    continue
                daily[(user_id, day)][0] += amount or 0.0
                daily[(user_id, day)][1] += count or 0
            result.update(reports._facts_per_day(daily, amount_field, count_field))
        return result

    def _facts_grouped(self, model, domain_of, date_field):
        """A count per report of the records of ``model`` (``domain_of(company, first, last,
        user ids)``) by salesperson and day of ``date_field``, cut in the company's tz."""
        result = {}
        for company, (reports, first, last, user_ids) in self._facts_by_company().items():
            Model = self.env[model].sudo().with_context(active_test=False, tz=company._sales_tz())
            groups = Model._read_group(
                domain_of(company, first, last, user_ids),
                ["user_id", f"{date_field}:day"],
                ["__count"],
            )
            daily = {}
            for user, day, count in groups:
                if hasattr(day, "date"):
                    day = day.date()
                daily[(user.id, day)] = (0, count)
            result[company] = (reports, daily)
        return result

    def _facts_open_counts(self, model, domain, count_field):
        """A count per report of the rep's open records of ``model`` now (not per day)."""
        result = {}
        for company, (reports, _first, _last, user_ids) in self._facts_by_company().items():
            groups = (
                self.env[model]
                .sudo()
                ._read_group(
                    [*domain, ("user_id", "in", user_ids), ("company_id", "=", company.id)],
                    ["user_id"],
                    ["__count"],
                )
            )
            counts = {user.id: count for user, count in groups}
            for report in reports:
                result[report.id] = {count_field: counts.get(report.user_id.id, 0)}
        return result

    # ------------------------------------------------------------------
    # The readers (``_work_report_facts_<name>``)
    # ------------------------------------------------------------------
    def _work_report_facts_orders(self):
        """Orders confirmed: count and untaxed amount in the company's currency (metric
        ``revenue``)."""
        return self._facts_metric("revenue", "order_amount", "order_count")

    def _work_report_facts_collected(self):
        """Payments collected (metric ``collected``)."""
        return self._facts_metric("collected", "collected_amount")

    def _work_report_facts_new_customers(self):
        """New customers: first confirmed order of the customer (metric ``new_customers``)."""
        return self._facts_metric("new_customers", count_field="new_customer_count")

    def _work_report_facts_visits(self):
        """Visits done (metric ``visits``)."""
        return self._facts_metric("visits", count_field="visit_count")

    def _work_report_facts_quotations(self):
        """Quotations sent to the customer and dated in the period."""

        def domain(company, first, last, user_ids):
            return [
                ("state", "=", "sent"),
                ("company_id", "=", company.id),
                ("user_id", "in", user_ids),
                ("date_order", ">=", company._sales_utc(first)),
                ("date_order", "<", company._sales_utc(last + timedelta(days=1))),
            ]

        result = {}
        for reports, daily in self._facts_grouped("sale.order", domain, "date_order").values():
            result.update(reports._facts_per_day(daily, count_field="quotation_sent_count"))
        return result

    def _work_report_facts_calls(self):
        """Calls and meetings logged: activities of those categories marked done by the rep.
        Read from the message Odoo posts when an activity is done, which stays whether the
        type keeps its done activities or not."""
        result = {}
        for company, (reports, first, last, user_ids) in self._facts_by_company().items():
            users = self.env["res.users"].sudo().browse(user_ids)
            user_of = {user.partner_id.id: user.id for user in users}
            groups = (
                self.env["mail.message"]
                .sudo()
                .with_context(tz=company._sales_tz())
                ._read_group(
                    [
                        ("mail_activity_type_id.category", "in", CALL_CATEGORIES),
                        ("author_id", "in", list(user_of)),
                        ("date", ">=", company._sales_utc(first)),
                        ("date", "<", company._sales_utc(last + timedelta(days=1))),
                    ],
                    ["author_id", "date:day"],
                    ["__count"],
                )
            )
            daily = {}
            for author, day, count in groups:
                if hasattr(day, "date"):
                    day = day.date()
                daily[(user_of.get(author.id), day)] = (0, count)
            result.update(reports._facts_per_day(daily, count_field="call_count"))
        return result

    def _work_report_facts_leads(self):
        """New leads and opportunities assigned to the rep, created in the period."""

        def domain(company, first, last, user_ids):
            return [
                ("company_id", "in", (company.id, False)),
                ("user_id", "in", user_ids),
                ("create_date", ">=", company._sales_utc(first)),
                ("create_date", "<", company._sales_utc(last + timedelta(days=1))),
            ]

        result = {}
        for reports, daily in self._facts_grouped("crm.lead", domain, "create_date").values():
            result.update(reports._facts_per_day(daily, count_field="new_lead_count"))
        return result

    def _work_report_facts_target(self):
        """The rep's running target of the month of the report's last day, month to date:
        revenue first, else the first metric."""
        result = {}
        for company, (reports, first, last, user_ids) in self._facts_by_company().items():
            targets = (
                self.env["sales.target"]
                .sudo()
                .search_fetch(
                    [
                        ("user_id", "in", user_ids),
                        ("company_id", "=", company.id),
                        ("plan_state", "in", ("approved", "locked")),
                        ("period_type", "=", "month"),
                        ("date_from", "<=", last),
                        ("date_to", ">=", first),
                    ],
                    [
                        "user_id",
                        "date_from",
                        "date_to",
                        "target_value",
                        "actual",
                        "achievement_pct",
                        "metric_id",
                    ],
                )
            )
            targets = targets.sorted(
                lambda t: (t.metric_id.metric_type != "revenue", t.metric_id.sequence, t.id)
            )
            for report in reports:
                target = next(
                    (
                        t
                        for t in targets
                        if t.user_id == report.user_id
                        and t.date_from <= report.date_to <= t.date_to
                    ),
                    None,
                )
                result[report.id] = (
                    {
                        "target_value": target.target_value,
                        "target_actual": target.actual,
                        "target_pct": target.achievement_pct,
                    }
                    if target
                    else {}
                )
        return result

    def _work_report_facts_late_deliveries(self):
        """Late deliveries of the rep's orders still open."""
        return self._facts_open_counts(
            "sales.late.delivery", [("state", "=", "late")], "late_delivery_count"
        )

    def _work_report_facts_broken_promises(self):
        """Promises to pay the customer broke, on plans still open."""
        return self._facts_open_counts(
            "sales.collection.promise",
            [("state", "=", "broken"), ("plan_id.state", "=", "open")],
            "broken_promise_count",
        )
