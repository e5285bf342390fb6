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
        "security/sales_handover_security.xml",
        "data/sales_handover_data.xml",
        "wizards/sales_handover_wizard_views.xml",
        "views/sales_handover_log_views.xml",
        "security/sales_closing_security.xml",
        "data/sales_closing_data.xml",
        "views/crm_lead_closing_views.xml",
        "report/sales_win_loss_report_views.xml",
        "views/res_config_settings_handover_views.xml",
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
