/** @odoo-module **/

import { registry } from "@web/core/registry";

// (3) A customer reports a problem on their order from the portal and follows it.
registry.category("web_tour.tours").add("sales_complaint_portal_tour", {
    url: "/my/orders",
    steps: () => [
        {
            content: "Open the order",
            trigger: "a:contains('Tour Complaint Order')",
            run: "click",
        },
        {
            content: "Report a problem from the order page",
            trigger: "a.o_sales_complaint_report",
            run: "click",
        },
        {
            content: "The category: quality",
            trigger: ".o_sales_complaint_form select[name='category']",
            run: "select quality",
        },
        {
            content: "The subject",
            trigger: ".o_sales_complaint_form input[name='subject']",
            run: "edit Broken seal on delivery",
        },
        {
            content: "The product of the order",
            trigger: ".o_sales_complaint_form select[name='product_id']",
            run: "selectByLabel Tour Complaint Valve",
        },
        {
            content: "What happened",
            trigger: ".o_sales_complaint_form textarea[name='description']",
            run: "edit The seal of the valve was broken when the parcel arrived.",
        },
        {
            content: "Send",
            trigger: ".o_sales_complaint_form button[type='submit']",
            run: "click",
        },
        {
            content: "The complaint is recorded",
            trigger: ".o_sales_complaint_filed",
        },
        {
            content: "See all complaints",
            trigger: "a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "The complaint is listed with its state",
            trigger:
                "tr.o_sales_complaint_row:contains('Broken seal on delivery') .o_sales_complaint_state:contains('New')",
        },
        {
            content: "Open it",
            trigger: "tr.o_sales_complaint_row a:contains('Broken seal on delivery')",
            run: "click",
        },
        {
            content: "Its page shows the subject, the state and the messages",
            trigger:
                ".o_sales_complaint_page:has(.o_sales_complaint_subject:contains('Broken seal on delivery')) #discussion",
        },
    ],
});
