/** @odoo-module **/

import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/core/utils/numbers";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

// a part at or above this share of its maximum is good, below the second poor
const GOOD_SHARE = 0.75;
const FAIR_SHARE = 0.4;

/**
 * The parts of a candidate's score as compact badges: the points of each part
 * against its maximum, a bar filled by that share, the detail on hover.
 *
 * The value is the list the ranking prepares (key, label, detail, points,
 * max_points); the server leaves the rates out for users who may not see them.
 */
export class ScorePartsField extends Component {
    static template = "resource_sharing.ScorePartsField";
    static props = {...standardFieldProps};

    get parts() {
        const parts = this.props.record.data[this.props.name];
        if (!Array.isArray(parts)) {
            return [];
        }
        return parts.map((part) => {
            const share =
                part.max_points > 0
                    ? Math.min(Math.max(part.points / part.max_points, 0), 1)
                    : 0;
            let level = "danger";
            if (share >= GOOD_SHARE) {
                level = "success";
            } else if (share >= FAIR_SHARE) {
                level = "warning";
            }
            return {
                key: part.key,
                label: part.label || part.key,
                points: formatFloat(part.points, {digits: [16, 1], trailingZeros: false}),
                maxPoints: formatFloat(part.max_points, {digits: [16, 0]}),
                percent: Math.round(share * 100),
                level,
                tooltip: part.detail ? `${part.label}: ${part.detail}` : part.label,
            };
        });
    }
}

export const scorePartsField = {
    component: ScorePartsField,
    displayName: _t("Score Parts"),
    supportedTypes: ["json"],
    // room for three badges a row in a list
    listViewWidth: [330],
};

registry.category("fields").add("staffing_score_parts", scorePartsField);
