from odoo import SUPERUSER_ID, api

from odoo.addons.resource_sharing.hooks import post_init_hook


def migrate(cr, version):
    """A database from before the ledger gets its rows as a new install does."""
    post_init_hook(api.Environment(cr, SUPERUSER_ID, {}))
