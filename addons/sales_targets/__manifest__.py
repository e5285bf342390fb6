{
    "name": "Sales Targets",
    "summary": "Target hierarchies and decomposition, achievement, pipeline forecasts, "
    "split credit and tiered commissions",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "Sales Suite",
    "website": "https://github.com/sales-suite/sales-suite",
    "depends": ["sale_management", "crm", "account", "sale_margin"],
    "data": [
        "security/sales_targets_security.xml",
        "security/ir.model.access.csv",
        "views/sales_targets_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
