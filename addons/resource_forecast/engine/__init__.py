"""Odoo-free building blocks of the man-hour forecast."""
