{
    "name": "Sales Assistant",
    "summary": "Orders complete only once the customer confirms receipt of the goods",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "Sales Suite",
    "website": "https://github.com/sales-suite/sales-suite",
    "depends": ["sales_compliance", "sales_targets", "sale_stock"],
    "data": [
        "security/sales_assistant_security.xml",
        "security/ir.model.access.csv",
        "views/sales_receipt_confirmation_views.xml",
        "views/sale_order_views.xml",
        "views/sales_assistant_menus.xml",
        "security/sales_assistant_my_day_security.xml",
        "data/sales_assistant_my_day_data.xml",
        "views/crm_visit_views.xml",
        "views/sales_assistant_my_day_views.xml",
        "views/res_config_settings_my_day_views.xml",
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
