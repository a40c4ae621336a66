"""Thin views: check access (shortlist.permissions), parse a form, call a service, render."""
