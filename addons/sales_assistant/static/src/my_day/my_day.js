import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * "My day": the day of the current user (and of their team when they lead one), as the
 * server model ``sales.assistant.day`` gathers it, section by section. The screen only
 * renders the sections it receives, so that a part of the addon adds a section on the
 * server alone.
 */
export class MyDay extends Component {
    static template = "sales_assistant.MyDay";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, loading: true });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("sales.assistant.day", "get_my_day", []);
        this.state.loading = false;
    }

    get teamLabel() {
        return _t("With your team (%s people)", this.state.data.team_size);
    }

    openRecord(entry) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: entry.model,
            res_id: entry.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    async logCallOrVisit() {
        const action = await this.orm.call("sales.register.entry", "action_register_log", []);
        return this.action.doAction(action, { onClose: () => this.load() });
    }

    openSection(section) {
        return this.action.doAction(section.action);
    }
}

registry.category("actions").add("sales_assistant.my_day", MyDay);
