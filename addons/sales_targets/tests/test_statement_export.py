import csv
import io
from datetime import datetime

import openpyxl

from odoo.tests import tagged
from odoo.tools.pdf import PdfReader

from .test_commission import JAN, CommissionCase


@tagged("post_install", "-at_install")
class TestStatementExport(CommissionCase):
    """What a salesperson downloads: the CSV and the xlsx read back cell by cell, and the
    PDF rendered by wkhtmltopdf read back as text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.make_order(cls.rep_a, 8000, datetime(2025, 1, 10, 9))
        statements = cls.env["sales.commission.statement"]._generate_statements(*JAN)
        cls.statement = statements.filtered(lambda s: s.user_id == cls.rep_a)

    def test_statement(self):
        # 8000 of a 10000 target: the 50-100% band pays 5% of 3000
        self.assertEqual(len(self.statement.line_ids), 1)
        self.assertAlmostEqual(self.statement.commission_amount, 150)

    def test_csv(self):
        statement = self.statement.with_user(self.rep_a)
        rows = list(csv.reader(io.StringIO(statement._export_csv().decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2, "a header and the one order")
        self.assertEqual(rows[0][0], "Statement")
        self.assertEqual(rows[1][5], self.order.name)
        self.assertAlmostEqual(float(rows[1][10]), 150)

    def test_xlsx_cells(self):
        statement = self.statement.with_user(self.rep_a)
        action = statement.action_export_xlsx()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        # the attachment is the export (its bytes hold the second it was made: compare cells)
        again = openpyxl.load_workbook(io.BytesIO(statement._export_xlsx()))
        self.assertEqual(
            [list(sheet.iter_rows(values_only=True)) for sheet in book],
            [list(sheet.iter_rows(values_only=True)) for sheet in again],
        )
        self.assertEqual(book.sheetnames, ["Commission"])
        sheet = book["Commission"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 2, "a header and the one order")
        self.assertEqual(rows[0], tuple(statement._export_header()))
        self.assertTrue(sheet["A1"].font.b, "the header is bold")
        line = rows[1]
        self.assertEqual(line[0], statement.name)
        self.assertEqual(line[1], self.rep_a.name)
        self.assertEqual(line[2], "2025-01-01")
        self.assertEqual(line[3], "2025-01-31")
        self.assertEqual(line[5], self.order.name)
        self.assertEqual(line[7], 100)
        # amounts are numbers a spreadsheet can sum, shown with two decimals
        self.assertEqual(line[8], 8000)
        self.assertEqual(line[10], 150)
        self.assertEqual(sheet["I2"].number_format, "#,##0.00")
        self.assertEqual(sheet["K2"].number_format, "#,##0.00")

    def test_pdf_text(self):
        """Odoo renders reports as HTML in tests unless ``force_report_rendering``. The
        report's styles are left out (report.url refuses the connection, which wkhtmltopdf
        tolerates): the wkhtmltopdf of Debian (unpatched Qt) draws the styles' web fonts as
        paths, which leave no text to read back."""
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "install":
            # Odoo's runner skips it too (CI, through conftest.py, fails on any skip)
            self.skipTest("wkhtmltopdf is missing (apt-get install wkhtmltopdf)")
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:1")
        report = self.env.ref("sales_targets.action_report_commission_statement")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.rep_a)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report.report_name, self.statement.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertEqual(pdf[:5], b"%PDF-")
        reader = PdfReader(io.BytesIO(pdf))
        self.assertEqual(len(reader.pages), 1)
        text = " ".join(reader.pages[0].extract_text().split())
        for expected in (
            "Commission Statement",
            f"Salesperson: {self.rep_a.name}",
            "Commission Scheme: Field sales",
            "Period: 01/01/2025 - 01/31/2025",
            "Target: $ 10,000.00",
            "Achievement: 80.0 %",
            f"Commission {self.order.name} 01/10/2025 100.0 $ 8,000.00 $ 150.00",
            "Earned Commission $ 150.00 Clawbacks $ 0.00 Adjustments $ 0.00 Total $ 150.00",
        ):
            self.assertIn(expected, text)
