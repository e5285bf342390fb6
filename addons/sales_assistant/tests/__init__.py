from odoo.addons.sales_compliance.tests import manifests  # parsed once (see manifests.py)

from . import (
    test_receipt_confirmation,
    test_visit_cadence,
    test_my_day,
    test_digest,
    test_my_day_tour,
    test_my_day_collections,
    test_my_day_deliveries,
    test_customer_receipt_portal,
    test_late_delivery,
    test_tour_customer_receipt,
    test_i18n_delivery,
    test_handover,
    test_closing,
    test_handover_tour,
)
from . import test_collection_plan
from . import test_collection_state
from . import test_collection_promise
from . import test_collection_reminder
from . import test_collection_access
from . import test_collection_report
from . import test_collection_tour
from . import test_confirm_guide
from . import test_confirm_guide_checks
from . import test_target_metric_compliance_rate
from . import test_trust_reactivation
from . import test_trust_today_assistant
from . import test_trust_receipt
from . import test_trust_collection_promise
from . import test_trust_collection_tracking
from . import test_trust_my_day
from . import test_trust_handover
from . import test_look_demo
from . import test_shared_homes
from . import test_dispatch_assistant
from . import test_receipt_day
from . import test_menu_names
from . import test_contract_flow
from . import test_contract_tour
from . import test_contract_orders
from . import test_contract_performance
from . import test_contract_collection
from . import test_contract_renewal
from . import test_contract_my_day
from . import test_contract_target_metric
from . import test_contract_access
from . import test_contract_report
from . import test_work_report_flow
from . import test_work_report_facts
from . import test_work_report_access
from . import test_work_report_tour
from . import test_register_entry
from . import test_register_access
from . import test_register_report
from . import test_register_tour
from . import test_satisfaction_survey
from . import test_satisfaction_report
from . import test_return_visit
from . import test_complaint_portal
from . import test_complaint_portal_tour
from . import test_work_report_rollup
from . import test_work_report_morning
from . import test_work_report_metric
from . import test_work_report_morning_tour
from . import test_complaint_flow
from . import test_complaint_access
from . import test_complaint_my_day
from . import test_complaint_tour
from . import test_trust_complaints
from . import test_trust_work_reports
from . import test_phone_screens
from . import test_contract_approval_mail
from . import test_robot_pushes
from . import test_trust_robot_review
from . import test_digest_queries
from . import test_trust_contracts
