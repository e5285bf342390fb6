import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";

/**
 * A collection rate (the ``collection_rate`` widget of the collection rate report): "—"
 * where nothing has fallen due yet (the server gives no rate), not an empty cell next to
 * a collected amount.
 */
export function formatCollectionRate(value, options) {
    if (value === false || value === null || value === undefined) {
        return "—";
    }
    return formatFloat(value, options);
}

registry.category("formatters").add("collection_rate", formatCollectionRate);
