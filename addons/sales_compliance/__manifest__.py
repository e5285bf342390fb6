{
    "name": "Sales Compliance",
    "summary": "Compliance rules, multi-level approvals, credit control and customer "
    "ownership for sales",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "Sales Suite",
    "website": "https://github.com/sales-suite/sales-suite",
    "depends": ["sale_management", "crm", "account"],
    "data": [
        "security/sales_compliance_security.xml",
        "security/ir.model.access.csv",
        "views/sales_compliance_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
