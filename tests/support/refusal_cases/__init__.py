"""Positive-control cases of the refusal test, one module per capability.

Each module lists ``CASES`` (``StaffCase``: a staff handler, arguments built from the
demo data, the tables it must change when staff fire it) and ``READ_ONLY`` (state
path → handlers that write nothing: page loads, opening a form) and ``NOT_FROM_STATES`` (a staff-only permission of the capability's
role matrix that no state handler asks for → the test that covers it, e.g. an HTTP
route's). The module is named after the capability. Every handler of
every ``StaffState`` must be in one or the other (``tests/unit/core/test_refusal.py``).
"""
