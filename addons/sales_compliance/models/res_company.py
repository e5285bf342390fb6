from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    approval_link_hours = fields.Integer(
        string="Approval Links Valid (hours)",
        default=72,
        help="How long the Approve and Reject links of an approval request e-mail work.",
    )
    approval_link_without_login = fields.Boolean(
        string="Approve from the Link without Logging In",
        help="The link alone identifies the approver: whoever holds the e-mail (a forwarded "
        "mail, a shared phone) decides as them. Off: the link leads through Odoo's login.",
    )

    def _sales_tz_sql(self, company=None):
        """SQL expression of the timezone in which this company's days, months and quarters cut.

        The one definition of the company's timezone for the three addons: the timezone of the
        company's contact (its partner's ``tz``) when set, else UTC. Never the timezone of the
        user who happens to compute: a target, a due date or a protection end must be the same
        whoever looks at it, and a Shanghai order confirmed at 07:00 on 1 March belongs to March.

        A scalar subquery rather than a value read beforehand, so that the queries using it cost
        no extra round trip; PostgreSQL evaluates it once per query.

        :param company: SQL of a company id column (a database view over all companies);
            by default the first company of ``self``.
        """
        return SQL(
            """COALESCE((
                SELECT NULLIF(cp.tz, '')
                  FROM res_company c
                  JOIN res_partner cp ON cp.id = c.partner_id
                 WHERE c.id = %(company)s
            ), 'UTC')""",
            company=company if company is not None else (self[:1].id or 0),
        )

    def _sales_tz(self):
        """Name of the timezone of ``_sales_tz_sql``, for the ORM and Python."""
        company = self[:1] or self.env.company
        return company.sudo().partner_id.tz or "UTC"

    @api.model
    def _sales_day(self, tz, moment=None):
        """The day in the timezone named ``tz`` now, or of the naive UTC datetime ``moment``;
        in UTC when ``tz`` is empty or unknown (a browser may send anything).

        The one clock behind every "today" of the three addons: the company's
        (``_sales_today``), a person's (``res.users._sales_person_today``) and the day of
        whoever confirms a customer receipt. Each of them only chooses the timezone.
        """
        try:
            zone = pytz.timezone(tz or "UTC")
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        moment = pytz.utc.localize(moment) if moment else datetime.now(pytz.utc)
        return moment.astimezone(zone).date()

    def _sales_today(self, tz=None):
        """Today in the company's timezone: the day of every business date (protection ends,
        due dates, reviews valid until, visits, reminders), whoever or whatever acts (a cron
        runs as OdooBot, often in UTC). ``tz`` when already known."""
        return self._sales_day(tz or self._sales_tz())

    def _sales_utc(self, day, tz=None):
        """The naive UTC datetime at which ``day`` starts in the company's timezone."""
        local = pytz.timezone(tz or self._sales_tz()).localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
