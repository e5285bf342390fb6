from odoo import models
from odoo.tools import SQL


class SalesWorkReport(models.Model):
    _inherit = "sales.work.report"

    def _work_report_facts_register(self):
        """Calls and visitors received for the rep of each person report (the entries of
        the registers whose "For" is the rep), within the report's days cut in its
        company's timezone: one grouped query for all the reports."""
        persons = self.filtered(lambda report: report.scope == "person")
        if not persons:
            return {}
        self.env["sales.register.entry"].flush_model(["kind", "date", "user_id", "company_id"])
        persons.flush_recordset(["user_id", "company_id", "date_from", "date_to", "scope"])
        tz = self.env["res.company"]._sales_tz_sql(company=SQL("report.company_id"))
        rows = self.env.execute_query(
            SQL(
                """
                SELECT report.id,
                       count(entry.id) FILTER (WHERE entry.kind = 'call'),
                       count(entry.id) FILTER (WHERE entry.kind = 'visit')
                  FROM sales_work_report report
                  JOIN sales_register_entry entry
                    ON entry.user_id = report.user_id
                   AND entry.company_id = report.company_id
                   AND entry.date >= (report.date_from::timestamp AT TIME ZONE %(tz)s)
                                     AT TIME ZONE 'UTC'
                   AND entry.date < ((report.date_to + 1)::timestamp AT TIME ZONE %(tz)s)
                                    AT TIME ZONE 'UTC'
                 WHERE report.id = ANY(%(ids)s)
                 GROUP BY report.id
                """,
                tz=tz,
                ids=persons.ids,
            )
        )
        counts = {report_id: (calls, visits) for report_id, calls, visits in rows}
        return {
            report.id: {
                "inbound_call_count": counts.get(report.id, (0, 0))[0],
                "visitor_count": counts.get(report.id, (0, 0))[1],
            }
            for report in persons
        }
