# Test-only addon (not shipped): proves that another addon extends the compliance engine
# without editing sales_compliance (docs/extending.md).
{
    "name": "Sales Compliance engine extension (tests)",
    "summary": "A check with a parameter and a new model joining the compliance engine, "
    "from outside sales_compliance",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Sales Suite",
    "depends": ["sales_compliance"],
    "data": [
        "security/ir.model.access.csv",
        "views/sales_compliance_rule_views.xml",
    ],
    "installable": True,
}
