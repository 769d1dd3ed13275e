"""Service reports and measurement: report a problem, follow it, rate it; public
service-level figures and an Open311 GeoReport v2 endpoint."""

from syros_app.core.registry import Capability, NavEntry, lazy, register_capability

from .rules import DEPARTMENTS


register_capability(Capability(
    name="reports",
    nav=[
        NavEntry(route="/reports", label_key="reports.nav", icon="map-pin"),
        NavEntry(route="/measurement", label_key="reports.nav_measurement", icon="chart-bar"),
        NavEntry(route="/staff/reports", label_key="reports.nav_staff", icon="clipboard-list", staff_only=True,
                 permission=("reports", "view_staff_desk")),
    ],
    departments=tuple((d, f"reports.department.{d}") for d in DEPARTMENTS),
    today=lazy("syros_app.reports.today", "today"),
))

from . import gdpr  # noqa: E402,F401  (export section and account-deletion handler)
