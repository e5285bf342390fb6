/** @odoo-module **/

import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

const CONTRACTS = "/odoo/action-sales_assistant.action_sales_contract";
const APPROVALS = "/odoo/action-sales_compliance.action_compliance_my_approvals";

function dateInput(field, date) {
    return {
        content: `Set ${field}`,
        trigger: `.o_form_view div[name='${field}'] input`,
        run: `edit ${date.toFormat("MM/dd/yyyy")} && press Enter`,
    };
}

function openContract(customer) {
    return {
        content: `Open the contract of ${customer}`,
        trigger: `.o_data_row:contains('${customer}') .o_data_cell`,
        run: "click",
    };
}

function currentState(label) {
    return {
        content: `The contract is ${label}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current:contains('${label}')`,
    };
}

// 1. A rep drafts a contract (customer, amount, dates, a line) and submits it for review.
registry.category("web_tour.tours").add("sales_contract_draft_submit", {
    url: CONTRACTS,
    steps: () => {
        const today = luxon.DateTime.now();
        return [
            {
                content: "Draft a new contract",
                trigger: ".o_control_panel_main_buttons .o_list_button_add",
                run: "click",
            },
            {
                trigger: ".o_form_view div[name='partner_id'] input",
                run: "edit Tour Contract Customer",
            },
            {
                trigger: ".ui-autocomplete > li > a:contains('Tour Contract Customer')",
                run: "click",
            },
            {
                trigger: ".o_form_view div[name='title'] input",
                run: "edit Switchgear supply 2027",
            },
            {
                content: "Above 500,000: the general manager approves too",
                trigger: ".o_form_view div[name='amount'] input",
                run: "edit 600000",
            },
            dateInput("date_start", today.startOf("month")),
            dateInput("date_end", today.startOf("month").plus({ years: 1 }).minus({ days: 1 })),
            {
                content: "The products of the contract",
                trigger: ".o_notebook a[name='lines']",
                run: "click",
            },
            {
                trigger: "div[name='line_ids'] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                trigger: "div[name='line_ids'] .o_selected_row div[name='product_id'] input",
                run: "edit Tour Switchgear",
            },
            {
                trigger: ".ui-autocomplete > li > a:contains('Tour Switchgear')",
                run: "click",
            },
            {
                trigger: "div[name='line_ids'] .o_selected_row div[name='quantity'] input",
                run: "edit 500",
            },
            {
                trigger: "div[name='line_ids'] .o_selected_row div[name='price_unit'] input",
                run: "edit 1200",
            },
            {
                content: "Save",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                trigger: ".o_form_saved",
            },
            {
                content: "Submit for review",
                trigger: ".o_form_statusbar button[name='action_submit']",
                run: "click",
            },
            currentState("In Review"),
        ];
    },
});

// 2-3. Legal, then the general manager, approve from "My Approvals".
function approveTour(name, rule) {
    registry.category("web_tour.tours").add(name, {
        url: APPROVALS,
        steps: () => [
            {
                content: "Open the contract's request waiting for me",
                trigger: `.o_data_row:contains('${rule}') .o_data_cell`,
                run: "click",
            },
            {
                content: "Approve",
                trigger: "button[name='action_open_decision']:contains('Approve')",
                run: "click",
            },
            {
                trigger: ".modal div[name='comment'] textarea",
                run: "edit Terms checked",
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
}
approveTour("sales_contract_legal_approve", "Legal review");
approveTour("sales_contract_general_manager_approve", "General manager");

// 4. The rep signs the approved contract with its scan.
registry.category("web_tour.tours").add("sales_contract_sign", {
    url: CONTRACTS,
    steps: () => [
        openContract("Tour Contract Customer"),
        currentState("Approved"),
        {
            content: "Sign",
            trigger: ".o_form_statusbar button[name='action_open_sign']",
            run: "click",
        },
        {
            content: "Upload the signed scan",
            trigger: ".modal div[name='scan']",
            async run() {
                const scan = new File(
                    ["%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"],
                    "signed-contract.pdf",
                    { type: "application/pdf" }
                );
                await inputFiles(".modal div[name='scan'] input.o_input_file", [scan]);
            },
        },
        {
            content: "The scan is loaded",
            trigger: ".modal div[name='scan'] .o_clear_file_button",
        },
        {
            trigger: ".modal button[name='action_sign']",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        currentState("Signed"),
        {
            content: "The scan is kept with the contract",
            trigger: ".o_notebook a[name='scans']",
            run: "click",
        },
        {
            trigger: "div[name='scan_ids']:contains('signed-contract.pdf')",
        },
    ],
});

// 5. The rep makes the quotation from the contract and confirms it.
registry.category("web_tour.tours").add("sales_contract_order", {
    url: CONTRACTS,
    steps: () => [
        openContract("Tour Contract Customer"),
        currentState("Signed"),
        {
            content: "A quotation from the contract",
            trigger: ".o_form_statusbar button[name='action_create_quotation']",
            run: "click",
        },
        {
            content: "The quotation takes the contract's products and prices",
            trigger: ".o_form_view div[name='order_line'] .o_data_row:contains('Tour Switchgear'):contains('1,200.00')",
        },
        {
            content: "The quotation is placed under the contract",
            trigger: ".o_form_view button[name='action_view_contract']",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_statusbar button[name='action_confirm']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
    ],
});

// 6. Delivered and paid: the contract's performance shows it.
registry.category("web_tour.tours").add("sales_contract_performance", {
    url: CONTRACTS,
    steps: () => [
        openContract("Tour Contract Customer"),
        currentState("In Performance"),
        {
            content: "The performance of the contract",
            trigger: ".o_notebook a[name='performance']",
            run: "click",
        },
        {
            content: "Delivered in full",
            trigger: ".o_form_view div[name='amount_delivered']:contains('600,000.00')",
        },
        {
            content: "Collected in full",
            trigger: ".o_form_view div[name='amount_collected']:contains('600,000.00')",
        },
        {
            trigger: ".o_form_view div[name='performance_progress']:contains('100')",
        },
    ],
});

// A change (变更) stays pending while version 1 stays in force.
registry.category("web_tour.tours").add("sales_contract_change_pending", {
    url: CONTRACTS,
    steps: () => [
        openContract("Tour Change Customer"),
        currentState("Signed"),
        {
            content: "Change the contract: a new version",
            trigger: ".o_form_statusbar button[name='action_new_version']",
            run: "click",
        },
        {
            content: "Version 2, in draft",
            trigger: ".o_form_view .oe_title h1:contains('v2')",
        },
        currentState("Draft"),
        {
            content: "Version 1 stays in force until the change is signed",
            trigger: ".o_form_view .alert-info:contains('stays in force until then')",
        },
        {
            trigger: ".o_form_view div[name='amount'] input",
            run: "edit 130000",
        },
        {
            trigger: ".o_notebook a[name='versions']",
            run: "click",
        },
        {
            trigger: ".o_form_view div[name='change_reason'] textarea",
            run: "edit Ten more cabinets",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "What changed, against version 1",
            trigger: ".o_form_view div[name='change_summary']:contains('130')",
        },
        {
            content: "Submit the change for review",
            trigger: ".o_form_statusbar button[name='action_submit']",
            run: "click",
        },
        currentState("In Review"),
        {
            content: "Back to the register",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "The register's current versions: version 1, still signed",
            trigger: ".o_searchview_facet:contains('Current Versions')",
        },
        {
            trigger: ".o_data_row:contains('Tour Change Customer'):contains('Signed')",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Change Customer'):contains('In Review')))",
        },
        openContract("Tour Change Customer"),
        currentState("Signed"),
        {
            content: "Version 1 shows the change in progress",
            trigger: ".o_form_view .alert-warning:contains('A change is in progress') div[name='pending_change_id']:contains('v2')",
        },
        {
            content: "The pending change is listed among the versions",
            trigger: ".o_notebook a[name='versions']",
            run: "click",
        },
        {
            trigger: "div[name='version_ids'] .o_data_row:contains('In Review')",
        },
    ],
});
