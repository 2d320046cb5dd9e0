from odoo import api, fields, models
from odoo.tools import plaintext2html

from .staffing_allocation import MONEY_GROUPS, StaffingAllocation

# fields that decide which shortlist entry an allocation stands for
ENTRY_FIELDS = frozenset({"employee_id", "request_line_id"})


class StaffingAllocationShortlist(models.Model):
    """The technical review of the position travels with the allocation.

    An allocation of a shortlisted consultant points to its shortlist entry and
    freezes what the review said when it was made and again when approval is
    asked; approvers read it in the allocation and in their to-do.
    """

    _inherit = "staffing.allocation"

    _action_fields = StaffingAllocation._action_fields | {
        "shortlist_entry_id",
        "endorsement_note",
    }

    shortlist_entry_id = fields.Many2one(
        comodel_name="staffing.shortlist.entry",
        readonly=True,
        copy=False,
        ondelete="restrict",
        index="btree_not_null",
        check_company=True,
    )
    endorsement_note = fields.Text(
        string="Technical Review",
        readonly=True,
        copy=False,
        groups=MONEY_GROUPS,
        help="What the request's technical architect said of the position's "
        "shortlist when the allocation was made or its approval asked.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        allocations = super().create(vals_list)
        allocations.filtered(
            lambda a: a.request_line_id.shortlist_entry_ids
        )._freeze_endorsement()
        return allocations

    def write(self, vals):
        result = super().write(vals)
        if ENTRY_FIELDS & set(vals):
            self.filtered(
                lambda a: a.shortlist_entry_id or a.request_line_id.shortlist_entry_ids
            )._freeze_endorsement()
        return result

    def _prepare_request_approval_values(self):
        return {
            **super()._prepare_request_approval_values(),
            **self._prepare_endorsement_values(),
        }

    def _get_approval_activity_note(self):
        note = super()._get_approval_activity_note()
        if not self.endorsement_note:
            return note
        review = self.env._("Technical review: %(note)s", note=self.endorsement_note)
        return plaintext2html(note or "") + plaintext2html(review)

    def _freeze_endorsement(self):
        for allocation in self:
            allocation._write_action_values(allocation._prepare_endorsement_values())

    def _prepare_endorsement_values(self):
        """The shortlist entry of the consultant on the position and its review."""
        self.ensure_one()
        line = self.request_line_id
        if not line:
            return {"shortlist_entry_id": False, "endorsement_note": False}
        entry = line.shortlist_entry_ids.filtered(
            lambda e: e.employee_id == self.employee_id
        )
        return {
            "shortlist_entry_id": entry.id,
            "endorsement_note": line._get_endorsement_note(self.employee_id),
        }
