/** @odoo-module **/

import { registry } from "@web/core/registry";

// The screens people use on their phone, at 390 × 844 with a touch screen (the tests set
// the browser's size): My day of a rep, the customer's receipt page from the link of the
// delivery e-mail, and the leader's approvals (a kanban on a phone).

/**
 * Fails the tour when something of the page is wider than the phone: a table, a button or a
 * header that the user would have to scroll sideways to, or could not reach at all. What
 * sits in a container that scrolls sideways on purpose (Odoo's lists of lines) is reachable.
 */
function assertFitsThePhone() {
    const width = window.innerWidth;
    const scrollsSideways = (element) => {
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
            const overflow = getComputedStyle(parent).overflowX;
            if (
                ["auto", "scroll"].includes(overflow) &&
                parent.getBoundingClientRect().right <= width + 1
            ) {
                return true;
            }
        }
        return false;
    };
    const wide = [...document.body.querySelectorAll("*")].filter((element) => {
        const box = element.getBoundingClientRect();
        return (
            box.width > 0 &&
            box.height > 0 &&
            box.right > width + 1 &&
            getComputedStyle(element).visibility !== "hidden" &&
            !scrollsSideways(element)
        );
    });
    if (wide.length) {
        const shown = wide.slice(0, 5).map((element) => element.outerHTML.slice(0, 120));
        throw new Error(`Wider than the phone (${width} px): ${shown.join(" | ")}`);
    }
}

const fitsThePhone = (trigger) => ({
    content: "Nothing on the screen is wider than the phone",
    trigger,
    run: assertFitsThePhone,
});

// A rep opens My day on the phone, sees the day's sections, opens an overdue activity and
// logs a visitor with the Log button.
registry.category("web_tour.tours").add("sales_assistant_my_day_phone", {
    url: "/odoo/action-sales_assistant.action_my_day",
    steps: () => [
        {
            content: "The overdue call is in today's activities",
            trigger:
                ".o_my_day_section_activities .o_my_day_entry:contains('Phone valve retrofit') .text-danger",
        },
        {
            content: "The opportunity behind on visits is listed",
            trigger: ".o_my_day_section_visits_behind .o_my_day_entry:contains('Phone valve retrofit')",
        },
        {
            content: "The overdue installment is listed",
            trigger: ".o_my_day_section_installments .o_my_day_entry:contains('Tour Collection Customer')",
        },
        fitsThePhone(".o_sales_assistant_my_day .o_my_day_log_register"),
        {
            content: "Open the opportunity from the overdue activity",
            trigger: ".o_my_day_section_activities .o_my_day_entry:contains('Phone valve retrofit')",
            run: "click",
        },
        {
            content: "The opportunity's form opens",
            trigger: ".o_form_view .o_field_widget[name='visit_missing_count']",
        },
        fitsThePhone(".o_form_view .o_field_widget[name='visit_missing_count']"),
        {
            content: "Back to My day",
            trigger: "button.o_back_button",
            run: "click",
        },
        {
            content: "Log a call or visit",
            trigger: ".o_sales_assistant_my_day .o_my_day_log_register",
            run: "click",
        },
        {
            content: "It is a visitor",
            trigger: ".modal .o_field_widget[name='kind'] input[data-value='visit']",
            run: "click",
        },
        {
            content: "Who came",
            trigger: ".modal .o_field_widget[name='contact_name'] input",
            run: "edit Mr Zhou",
        },
        {
            content: "About what",
            trigger: ".modal .o_field_widget[name='subject'] input",
            run: "edit Asks for the retrofit price",
        },
        fitsThePhone(".modal .o_form_button_save"),
        {
            content: "Save the entry",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes, back on My day",
            trigger: "body:not(:has(.modal)) .o_sales_assistant_my_day .o_my_day_section",
        },
    ],
});

// A customer opens the link of the delivery e-mail on the phone and confirms the receipt.
registry.category("web_tour.tours").add("sales_assistant_receipt_phone", {
    steps: () => [
        fitsThePhone(".o_customer_receipt_form button[type='submit']"),
        {
            content: "Who received the goods",
            trigger: ".o_customer_receipt_form input[name='received_by']",
            run: "edit Li Na",
        },
        {
            content: "Confirm",
            trigger: ".o_customer_receipt_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The receipt is confirmed",
            trigger: ".o_customer_receipt_done",
        },
        fitsThePhone(".o_customer_receipt_done"),
    ],
});

// The team leader finds the requests waiting for them as cards, opens one and approves it
// from the form's menu, then rejects the other from its card: both through the decision
// dialog.
registry.category("web_tour.tours").add("sales_compliance_approvals_phone", {
    url: "/odoo/action-sales_compliance.action_compliance_my_approvals",
    steps: () => [
        {
            content: "On a phone the requests are cards",
            trigger: ".o_kanban_view .o_kanban_record:contains('Phone Order A')",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('Phone Order B') .o_approval_kanban_reject",
        },
        fitsThePhone(".o_kanban_view .o_approval_kanban_approve"),
        {
            content: "Open the request of order A",
            trigger: ".o_kanban_record:contains('Phone Order A') span:contains('Phone Order A')",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_form_view .o_statusbar_status",
        },
        fitsThePhone(".o_form_view .o_statusbar_status"),
        {
            content: "Open the form's menu (the header's buttons are in it on a phone)",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Approve",
            trigger: ".o-dropdown--menu button[name='action_open_decision']:contains('Approve')",
            run: "click",
        },
        {
            trigger: ".modal div[name='comment'] textarea",
            run: "edit Approved on the road",
        },
        fitsThePhone(".modal button[name='action_confirm']"),
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
        {
            content: "Its steps are cards on a phone, with the decision and its comment",
            trigger:
                ".o_field_widget[name='step_ids'] .o_kanban_record:contains('Approved on the road')",
        },
        fitsThePhone(".o_field_widget[name='step_ids'] .o_kanban_record"),
        {
            content: "Back to the cards",
            trigger: "button.o_back_button",
            run: "click",
        },
        {
            content: "Only order B waits now",
            trigger:
                ".o_kanban_view:not(:has(.o_kanban_record:contains('Phone Order A'))) .o_kanban_record:contains('Phone Order B')",
        },
        {
            content: "Reject order B from its card",
            trigger: ".o_kanban_record:contains('Phone Order B') .o_approval_kanban_reject",
            run: "click",
        },
        {
            content: "A reject needs a reason",
            trigger: ".modal div[name='comment'] textarea",
            run: "edit Price below our floor",
        },
        {
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Decided: no card offers a decision any more",
            trigger: ".o_kanban_view:not(:has(.o_approval_kanban_reject))",
        },
    ],
});
