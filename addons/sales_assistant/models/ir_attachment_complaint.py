from odoo import api, models

from ..tools.scans import check_scan


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        attachments = super().create(vals_list)
        attachments._check_complaint_customer_file()
        return attachments

    def write(self, vals):
        result = super().write(vals)
        if {"res_model", "res_id", "raw", "datas"} & set(vals):
            self._check_complaint_customer_file()
        return result

    def _check_complaint_customer_file(self):
        """A customer's file on a complaint is a photo or a PDF of at most the scan size,
        checked on its content: through the complaint form (``_portal_check_files``) and
        through the chatter of the complaint's portal page alike (its upload links the file
        to the complaint at once, its post when the message is sent)."""
        if not self.env.user.share:
            return
        files = self.sudo().filtered(
            lambda attachment: (
                attachment.res_model == "sales.complaint" and attachment.type == "binary"
            )
        )
        for attachment in files:
            check_scan(self.env, attachment.raw or b"", self.env._("The file %s", attachment.name))
