"""Bulk open data: every capability's public datasets as CSV files with their
schemas, gathered nightly (and on demand) into one archive — a Frictionless Data
Package, the shape open-data portals such as data.gov.gr (CKAN) harvest — and
listed at ``/api/v1/datasets``."""

from syros_app.core.registry import Capability, register_capability

register_capability(Capability(name="opendata"))
