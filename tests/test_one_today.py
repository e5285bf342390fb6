"""One "today" per purpose (issue #16, 6). A business date (protection end, due date, review
valid until, visit, reminder) is the company's day, ``res.company._sales_today()``, whoever
acts: a cron at 02:00 in Shanghai runs on the Shanghai day, not on the UTC one. What a person
is shown is their own day, ``res.users._sales_person_today()``. Business code that takes today
any other way is on the UTC day, or on the acting user's, for eight hours of every day.

Every one of them (and the day of whoever confirms a customer receipt) reads the clock through
``res.company._sales_day(tz)``: the only function that may turn the clock into a day
(issue #18)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")
# The one clock: today (or a moment's day) in a given timezone.
ONE_CLOCK = ("sales_compliance/models/res_company.py", "_sales_day")


def business_files():
    for addon in SUITE:
        for path in sorted((ROOT / "addons" / addon).rglob("*.py")):
            relative = path.relative_to(ROOT / "addons")
            if "tests" not in relative.parts:
                yield relative, path


def other_todays(relative, source):
    """(line, what) of every other way of taking today in ``source``."""
    found = []
    functions = []

    def in_the_clock():
        return (relative.as_posix(), functions[-1] if functions else None) == ONE_CLOCK

    class Visitor(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            functions.append(node.name)
            self.generic_visit(node)
            functions.pop()

        def visit_Attribute(self, node):
            if node.attr == "context_today" and not in_the_clock():
                found.append((node.lineno, "context_today"))
            self.generic_visit(node)

        def visit_Call(self, node):
            func = node.func
            if isinstance(func, ast.Attribute):
                if func.attr == "today":  # date.today(), fields.Date.today(), ...
                    found.append((node.lineno, f"{ast.unparse(func)}()"))
                elif func.attr == "now" and ast.unparse(func.value) in (
                    "datetime",
                    "datetime.datetime",
                ):
                    if not node.args and not node.keywords:
                        # the server's naive clock: a UTC day in Odoo
                        found.append((node.lineno, "datetime.now()"))
                    elif not in_the_clock():  # a clock of its own, in some timezone
                        found.append((node.lineno, f"{ast.unparse(node)}"))
            self.generic_visit(node)

    Visitor().visit(ast.parse(source, str(relative)))
    return found


def test_business_code_takes_today_from_the_company_or_the_person_helper():
    offences = [
        f"addons/{relative}:{line}: {what}"
        for relative, path in business_files()
        for line, what in other_todays(relative, path.read_text())
    ]
    assert not offences, (
        "Take a business date's today from company._sales_today() (the record's company "
        "where it has one), a person's from user._sales_person_today(), a day in another "
        "timezone from res.company._sales_day(tz):\n" + "\n".join(offences)
    )


def test_the_audit_names_file_and_line_of_each_other_today():
    source = (
        "from odoo import fields\n"
        "def f(self):\n"
        "    a = fields.Date.context_today(self)\n"
        "    b = fields.Date.today()\n"
        "    c = datetime.now()\n"
        "    d = date.today()\n"
        "    e = datetime.now(tz)\n"
        "    return self.env.company._sales_today()\n"
    )
    assert other_todays(Path("sales_assistant/models/x.py"), source) == [
        (3, "context_today"),
        (4, "fields.Date.today()"),
        (5, "datetime.now()"),
        (6, "date.today()"),
        (7, "datetime.now(tz)"),
    ]
    # the one clock may read the clock in a timezone, nothing else may (a receipt's own
    # ``datetime.now(pytz.timezone(...))`` was a third "today")
    clock = "def _sales_day(self, tz):\n    return datetime.now(pytz.timezone(tz)).date()\n"
    assert other_todays(Path(ONE_CLOCK[0]), clock) == []
    assert other_todays(Path("sales_assistant/models/sale_order_receipt.py"), clock) == [
        (2, "datetime.now(pytz.timezone(tz))")
    ]
    person = "def _sales_person_today(self):\n    return fields.Date.context_today(self)\n"
    assert other_todays(Path(ONE_CLOCK[0]), person) == [(2, "context_today")]
