# Test-only addon (not shipped): the suite installed next to the OCA modules companies run.
{
    "name": "Sales Suite next to OCA (tests)",
    "summary": "Checks that the suite and OCA's sale_exception, sale_tier_validation, "
    "sale_commission_oca, sale_financial_risk and agreement_legal work in one database",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Sales Suite",
    "depends": [
        "sales_compliance",
        "sales_targets",
        "sales_assistant",
        "sale_exception",
        "sale_tier_validation",
        "sale_commission_oca",
        "sale_financial_risk",
        "agreement_legal",
    ],
    "installable": True,
}
