from odoo import fields, models

from .staffing_allocation import MONEY_GROUPS
from .staffing_allocation_shortlist import StaffingAllocationShortlist


class StaffingAllocationPartner(models.Model):
    """The partner's offer travels with the allocation it became."""

    _inherit = "staffing.allocation"

    # on top of the extensions loaded before this one
    _action_fields = StaffingAllocationShortlist._action_fields | {
        "partner_proposal_id"
    }

    partner_proposal_id = fields.Many2one(
        comodel_name="staffing.partner.proposal",
        string="Partner Offer",
        readonly=True,
        copy=False,
        ondelete="restrict",
        index="btree_not_null",
        groups=MONEY_GROUPS,
        help="The proposal a partner company made on the portal, with its rate "
        "and CV, that this allocation was made from.",
    )
    partner_offer_cv_id = fields.Many2one(
        related="partner_proposal_id.cv_attachment_id",
        string="Offered CV",
        groups=MONEY_GROUPS,
    )
