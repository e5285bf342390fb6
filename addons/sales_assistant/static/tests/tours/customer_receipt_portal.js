/** @odoo-module **/

import { registry } from "@web/core/registry";

// (2) A customer confirms receipt of a delivered order on the portal.
registry.category("web_tour.tours").add("sales_assistant_portal_customer_receipt", {
    url: "/my/orders",
    steps: () => [
        {
            content: "The order list shows the order awaiting the customer's receipt",
            trigger: "tr:contains('Tour Receipt Order') :contains('Awaiting Customer Receipt')",
        },
        {
            content: "Open the order",
            trigger: "a:contains('Tour Receipt Order')",
            run: "click",
        },
        {
            content: "Confirm receipt from the order page",
            trigger: "#customer_receipt_request a.o_customer_receipt_confirm",
            run: "click",
        },
        {
            content: "Who received the goods",
            trigger: ".o_customer_receipt_form input[name='received_by']",
            run: "edit Zhang Wei",
        },
        {
            content: "Confirm",
            trigger: ".o_customer_receipt_form button[type='submit']",
            run: "click",
        },
        {
            content: "The receipt is confirmed",
            trigger: ".o_customer_receipt_done",
        },
        {
            content: "Back to the order",
            trigger: "a:contains('Back to the order')",
            run: "click",
        },
        {
            content: "The order shows it received",
            trigger: "#customer_receipt_state:contains('Received by Customer')",
        },
    ],
});
