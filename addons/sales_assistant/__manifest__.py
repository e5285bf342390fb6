{
    "name": "Sales Assistant",
    "summary": "Orders complete only once the customer confirms receipt of the goods",
    "version": "18.0.1.1.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "Sales Suite",
    "website": "https://github.com/sales-suite/sales-suite",
    "depends": ["sales_compliance", "sales_targets", "sale_stock"],
    "data": [
        "security/sales_assistant_security.xml",
        "security/ir.model.access.csv",
        "views/sales_customer_receipt_views.xml",
        "views/sale_order_views.xml",
        "views/sales_assistant_menus.xml",
        "security/sales_late_delivery_security.xml",
        "data/mail_template_receipt.xml",
        "data/sales_late_delivery_data.xml",
        "views/sales_late_delivery_views.xml",
        "views/sales_customer_receipt_portal_templates.xml",
        "views/res_config_settings_delivery_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sales_assistant/static/src/**/*",
        ],
        "web.assets_tests": [
            "sales_assistant/static/tests/tours/**/*",
        ],
    },
}
