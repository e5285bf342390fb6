from datetime import datetime, time

import pytz

from odoo import fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

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

    def _sales_today(self, tz=None):
        """Today in the company's timezone: the day of every business date (protection ends,
        due dates, reviews valid until, visits, reminders), whoever or whatever acts (a cron
        runs as OdooBot, often in UTC). ``tz`` when already known."""
        return datetime.now(pytz.timezone(tz or self._sales_tz())).date()

    def _sales_utc(self, day, tz=None):
        """The naive UTC datetime at which ``day`` starts in the company's timezone."""
        local = pytz.timezone(tz or self._sales_tz()).localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _sales_person_today(self, moment=None):
        """The day a person sees: today (or the day of the UTC datetime ``moment``) in the
        timezone of the first of these users, else of the acting user: their browser's (the
        context's) when they act themselves, else their own, else their company's.

        Only for what a person is shown (My day, the day a form proposes). Every business
        date (protection ends, due dates, reviews valid until, visits, reminders) is the
        company's day, ``res.company._sales_today``, whoever acts. The one place of the three
        addons that may call ``context_today`` (tests/test_one_today.py).
        """
        user = self[:1] or self.env.user
        return fields.Date.context_today(user.with_context(tz=user._sales_person_tz()), moment)

    def _sales_person_tz(self):
        """The timezone of ``_sales_person_today``."""
        user = self[:1] or self.env.user
        tz = (user == self.env.user and self.env.context.get("tz")) or user.tz
        return tz or user.sudo().company_id._sales_tz()
