"""Roles and the acting person, as every service receives them (defined in core)."""

from __future__ import annotations

from syros_app.core.actors import GRANTABLE_ROLES, SCOPED_ROLES, STAFF_ROLES, Actor, Role, roles_of

__all__ = ["GRANTABLE_ROLES", "MUNICIPAL_UNITS", "SCOPED_ROLES", "STAFF_ROLES", "Actor", "Role", "roles_of"]

# The three municipal units (δημοτικές ενότητες) of Syros-Ermoupoli.
MUNICIPAL_UNITS = ("Ερμούπολη", "Άνω Σύρος", "Ποσειδωνία")
