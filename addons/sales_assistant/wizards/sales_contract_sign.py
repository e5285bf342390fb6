import base64

from odoo import fields, models


class SalesContractSign(models.TransientModel):
    """Sign an approved contract: the date it was signed and the signed scan."""

    _name = "sales.contract.sign"
    _description = "Sign a Contract"

    contract_id = fields.Many2one("sales.contract", required=True, ondelete="cascade")
    date_signed = fields.Date(
        string="Signed On", required=True, default=lambda self: self.env.company._sales_today()
    )
    scan = fields.Binary(string="Signed Scan", attachment=False)
    scan_name = fields.Char()

    def action_sign(self):
        self.ensure_one()
        contract = self.contract_id
        contract.check_access("write")
        scans = [(self.scan_name, base64.b64decode(self.scan))] if self.scan else []
        contract._sign(self.date_signed, scans)
        return {"type": "ir.actions.act_window_close"}
