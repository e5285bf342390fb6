/** @odoo-module **/

import { registry } from "@web/core/registry";

// The team leader decides a request from the approval link on a phone (390 x 844): the
// page shows what is asked, Reject needs a comment, Approve decides and says so.
registry.category("web_tour.tours").add("sales_compliance_approval_link_phone", {
    steps: () => [
        {
            content: "What is asked: the rule, the record, the value against the limit",
            trigger: ".o_sales_approval_summary:contains('Discount approval')",
        },
        {
            content: "The page fits the phone: nothing wider than the screen",
            trigger: ".o_sales_approval_approve",
            run() {
                if (document.documentElement.scrollWidth > window.innerWidth + 1) {
                    throw new Error(
                        `The page is ${document.documentElement.scrollWidth}px wide on a ` +
                            `${window.innerWidth}px screen`
                    );
                }
            },
        },
        {
            content: "Reject without a comment",
            trigger: ".o_sales_approval_reject",
            run: "click",
        },
        {
            content: "The page asks for the reason",
            trigger: ".o_sales_approval_refused:contains('reason of the rejection')",
        },
        {
            content: "Write a comment",
            trigger: "textarea[name='comment']",
            run: "edit Good customer, approved from my phone",
        },
        {
            content: "Approve",
            trigger: ".o_sales_approval_approve",
            run: "click",
        },
        {
            content: "The page says the request was approved",
            trigger: ".o_sales_approval_done:contains('You approved this request.')",
        },
    ],
});
