from odoo import models
from odoo.exceptions import UserError

# What makes a scan the original: its content and the record it is filed on (an access token
# or an index written by the system leave it as it is).
SCAN_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url", "type", "res_model", "res_id"}


class IrAttachment(models.Model):
    """The signed scans of a contract are its archived original (归档): whoever may edit the
    contract's attachments still never deletes or replaces them."""

    _inherit = "ir.attachment"

    def _check_not_contract_scan(self):
        if self.env.su or not self.ids:
            return
        self.env["sales.contract"].flush_model(["scan_ids"])
        self.env.cr.execute(
            "SELECT 1 FROM sales_contract_scan_rel WHERE attachment_id = ANY(%s) LIMIT 1",
            [self.ids],
        )
        if self.env.cr.fetchone():
            raise UserError(
                self.env._(
                    "A signed scan of a contract is its archived original: it is never "
                    "deleted or replaced."
                )
            )

    def write(self, vals):
        if SCAN_FIELDS & set(vals):
            self._check_not_contract_scan()
        return super().write(vals)

    def unlink(self):
        self._check_not_contract_scan()
        return super().unlink()
