from datetime import datetime, time

import pytz

from odoo import models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    def _sales_targets_tz_sql(self, company=None):
        """SQL expression of the timezone in which this company's days, months and quarters cut.

        The timezone of the company's contact (its partner's ``tz``) when set, else the timezone
        of the user who computes (the plan's manager running a refresh), else UTC. The company
        comes first, unlike Odoo's reports which follow the viewer: a target, a forecast and a
        commission statement must give the same figure whoever looks at them, and a Shanghai
        order confirmed at 07:00 on 1 March belongs to March for the whole company.

        A scalar subquery rather than a value read beforehand, so that the metric queries cost
        no extra round trip; PostgreSQL evaluates it once per query.

        :param company: SQL of a company id column, for a database view over all companies;
            a view has no user, so UTC is the only fallback there.
        """
        return SQL(
            """COALESCE((
                SELECT COALESCE(
                    NULLIF(cp.tz, ''),
                    (SELECT NULLIF(up.tz, '')
                       FROM res_users u
                       JOIN res_partner up ON up.id = u.partner_id
                      WHERE u.id = %(uid)s)
                )
                  FROM res_company c
                  JOIN res_partner cp ON cp.id = c.partner_id
                 WHERE c.id = %(company)s
            ), 'UTC')""",
            uid=None if company is not None else self.env.uid,
            company=company if company is not None else (self[:1].id or 0),
        )

    def _sales_targets_tz(self):
        """Name of the timezone of ``_sales_targets_tz_sql``, for the ORM and Python."""
        self.env.cr.execute(SQL("SELECT %s", self._sales_targets_tz_sql()))
        return self.env.cr.fetchone()[0]

    def _sales_targets_today(self, tz=None):
        """Today's date in the company's timezone (``tz`` when already known)."""
        return datetime.now(pytz.timezone(tz or self._sales_targets_tz())).date()

    def _sales_targets_utc(self, day, tz=None):
        """The naive UTC datetime at which ``day`` starts in the company's timezone."""
        local = pytz.timezone(tz or self._sales_targets_tz()).localize(
            datetime.combine(day, time.min)
        )
        return local.astimezone(pytz.utc).replace(tzinfo=None)
