import csv
import io
from typing import NamedTuple

from odoo import models

from ..tools.spreadsheet import csv_safe_row, xlsx_table


class ExportRow(NamedTuple):
    """One line of the statements' spreadsheet, in the columns of ``_export_header``."""

    statement: str
    salesperson: str
    period_start: str
    period_end: str
    line_type: str
    document: str
    date: str
    share: float
    base: float
    rate: float
    commission: float
    reason: str


MONEY_COLUMNS = {"base", "commission"}


# one model spread over files by concern (workflow, engine, export), as Odoo's own addons do
class SalesCommissionStatement(models.Model):
    """Export of commission statements to xlsx and CSV, line by line, for payroll."""

    _inherit = "sales.commission.statement"

    def _export_header(self):
        """Column titles of ``ExportRow``, in the user's language."""
        return [
            self.env._("Statement"),
            self.env._("Salesperson"),
            self.env._("Period start"),
            self.env._("Period end"),
            self.env._("Type"),
            self.env._("Document"),
            self.env._("Date"),
            self.env._("Share (%)"),
            self.env._("Base"),
            self.env._("Rate (%)"),
            self.env._("Commission"),
            self.env._("Reason"),
        ]

    def _export_rows(self):
        # line types in the user's language
        Line = self.env["sales.commission.statement.line"]
        line_types = dict(Line._fields["line_type"]._description_selection(self.env))
        clawback_kinds = dict(Line._fields["clawback_kind"]._description_selection(self.env))
        rows = []
        for statement in self:
            for line in statement.line_ids:
                rows.append(
                    ExportRow(
                        statement=statement.name,
                        salesperson=statement.user_id.name,
                        period_start=str(statement.date_from),
                        period_end=str(statement.date_to),
                        line_type=line_types.get(line.line_type),
                        document=line.doc_name or "",
                        date=str(line.date or ""),
                        share=line.share,
                        base=line.base_amount,
                        rate=round(line.rate, 4),
                        commission=line.amount,
                        reason=line.reason or clawback_kinds.get(line.clawback_kind) or "",
                    )
                )
        return rows

    def _export_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_safe_row(self._export_header()))
        writer.writerows(csv_safe_row(row) for row in self._export_rows())
        return buffer.getvalue().encode("utf-8-sig")

    def _export_xlsx(self):
        money = {i for i, name in enumerate(ExportRow._fields) if name in MONEY_COLUMNS}
        return xlsx_table(
            self.env._("Commission"),
            self._export_header(),
            self._export_rows(),
            money_columns=money,
            widths=[(0, 0, 40), (1, 11, 16)],
        )

    def _download(self, content, extension, mimetype, name="commission_statements"):
        # not linked to the statements: a salesperson may export what they can only read (the
        # what-if's export downloads the same way)
        attachment = self.env["ir.attachment"].create(
            {"name": f"{name}.{extension}", "raw": content, "mimetype": mimetype}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_xlsx(self):
        return self._download(
            self._export_xlsx(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def action_export_csv(self):
        return self._download(self._export_csv(), "csv", "text/csv")
