/** @odoo-module **/

import { registry } from "@web/core/registry";
import tourUtils from "@sale/js/tours/tour_utils";

// 1-3. A rep enters a discounted order, the confirmation is blocked, the rep asks
// for approval.
registry.category("web_tour.tours").add("sales_compliance_rep_request", {
    url: "/odoo/action-sale.action_quotations_with_onboarding",
    steps: () => [
        ...tourUtils.createNewSalesOrder(),
        ...tourUtils.selectCustomer("Tour Customer"),
        ...tourUtils.addProduct("Tour Widget"),
        {
            content: "Give a 15% discount",
            trigger: ".o_selected_row div[name='discount'] input",
            run: "edit 15",
        },
        ...tourUtils.clickSomewhereElse(),
        {
            content: "Try to confirm",
            trigger: ".o_form_statusbar button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The confirmation is blocked and the failed rule is listed",
            trigger: ".modal .alert-danger",
        },
        {
            trigger: ".modal .o_data_row:contains('Discount above your ceiling')",
        },
        {
            content: "Ask for approval",
            trigger: ".modal button[name='action_request_approval']",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Approval requested')",
        },
    ],
});

// 4. The team leader approves from "My Approvals".
registry.category("web_tour.tours").add("sales_compliance_leader_approve", {
    url: "/odoo/action-sales_compliance.action_compliance_my_approvals",
    steps: () => [
        {
            content: "Open the request waiting for me",
            trigger: ".o_data_row:contains('Discount above your ceiling') .o_data_cell",
            run: "click",
        },
        {
            content: "Approve",
            trigger: "button[name='action_open_decision']:contains('Approve')",
            run: "click",
        },
        {
            trigger: ".modal div[name='comment'] textarea",
            run: "edit Good customer, approved",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});

// 5. The rep confirms the order.
registry.category("web_tour.tours").add("sales_compliance_rep_confirm", {
    url: "/odoo/action-sale.action_quotations_with_onboarding",
    steps: () => [
        {
            trigger: ".o_data_row:contains('Tour Customer') .o_data_cell",
            run: "click",
        },
        {
            content: "Confirm the approved order",
            trigger: ".o_form_statusbar button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
    ],
});

// Screens smoke test: every compliance screen renders in the browser.
registry.category("web_tour.tours").add("sales_compliance_screens", {
    url: "/odoo/action-sales_compliance.action_compliance_rule",
    steps: () => [
        {
            trigger: ".o_data_row:contains('Tour domain rule') .o_data_cell",
            run: "click",
        },
        {
            content: "The domain editor shows the rule's condition",
            trigger: ".o_field_domain",
        },
        {
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            trigger: ".o_list_view",
        },
        {
            content: "Open the public pool",
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-sales_compliance.action_compliance_public_pool";
            },
            expectUnloadPage: true,
        },
        {
            content: "Claim a customer from the pool",
            trigger: ".o_data_row:contains('Pool Tour Customer') button[name='action_compliance_claim']",
            run: "click",
        },
        {
            content: "Claimed: the claim button is gone",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Pool Tour Customer') button[name='action_compliance_claim']))",
        },
        {
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-sales_compliance.action_compliance_violation_analysis";
            },
            expectUnloadPage: true,
        },
        {
            content: "The compliance analysis pivot renders",
            trigger: ".o_pivot",
        },
        {
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            trigger: ".o_graph_renderer",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view",
        },
        {
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-sales_compliance.action_compliance_violation";
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_renderer",
        },
        {
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-sales_compliance.action_compliance_approval";
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_renderer",
        },
        {
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-sales_compliance.action_compliance_settings";
            },
            expectUnloadPage: true,
        },
        {
            content: "The compliance block of the settings",
            trigger: "[name='compliance_claim_cap'] input",
        },
    ],
});
