/** @odoo-module **/

import { registry } from "@web/core/registry";

// A rep records the customer's promise to pay from the collection plan.
registry.category("web_tour.tours").add("sales_assistant_collection_promise", {
    url: "/odoo/action-sales_assistant.action_sales_collection_plan",
    steps: () => [
        {
            content: "Open the collection plan of the order",
            trigger: ".o_data_row:contains('Tour Collection Customer') .o_data_cell",
            run: "click",
        },
        {
            content: "Two installments to collect",
            trigger: "div[name='installment_ids'] .o_data_row:nth-child(2)",
        },
        {
            content: "Record a promise to pay",
            trigger: "button[name='action_record_promise']",
            run: "click",
        },
        {
            trigger: ".modal div[name='amount'] input",
            run: "edit 300",
        },
        {
            trigger: ".modal div[name='promised_by'] input",
            run: "edit Wang Fang",
        },
        {
            content: "Save the promise",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Look at the promises",
            trigger: ".o_notebook a:contains('Promises to Pay')",
            run: "click",
        },
        {
            content: "The promise is open",
            trigger: "div[name='promise_ids'] .o_data_row:contains('Wang Fang'):contains('Open')",
        },
    ],
});

// After the payment: the installments are paid and the promise kept.
registry.category("web_tour.tours").add("sales_assistant_collection_paid", {
    url: "/odoo/action-sales_assistant.action_sales_collection_plan",
    steps: () => [
        {
            content: "Show the fully collected plans too",
            trigger: ".o_searchview .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Tour Collection Customer') .o_data_cell",
            run: "click",
        },
        {
            content: "The plan is fully collected",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Fully Collected')",
        },
        {
            content: "Both installments turned paid",
            trigger: "div[name='installment_ids'] .o_data_row:nth-child(2) .badge:contains('Paid')",
        },
        {
            trigger: "div[name='installment_ids'] .o_data_row:nth-child(1) .badge:contains('Paid')",
        },
        {
            trigger: ".o_notebook a:contains('Promises to Pay')",
            run: "click",
        },
        {
            content: "The promise was kept",
            trigger: "div[name='promise_ids'] .o_data_row:contains('Wang Fang'):contains('Kept')",
        },
    ],
});
