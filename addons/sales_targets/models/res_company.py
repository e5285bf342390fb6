from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    # The company's timezone and day have one home: sales_compliance's res.company._sales_tz*.
    # These names stay for the callers of sales_targets; they add nothing.

    def _sales_targets_tz_sql(self, company=None):
        return self._sales_tz_sql(company=company)

    def _sales_targets_tz(self):
        return self._sales_tz()

    def _sales_targets_today(self, tz=None):
        return self._sales_today(tz=tz)

    def _sales_targets_utc(self, day, tz=None):
        return self._sales_utc(day, tz=tz)
