"""Log a Playwright page in through the real gov.gr round trip, with the local stand-in.

For end-to-end tests of any capability that want the genuine path (``login_as``
in ``tests/e2e/conftest.py`` is the quick alternative). Demo residents
(``syros_app.identity.stand_in.DEMO_RESIDENTS``): ``eftychia`` (1950),
``giorgos`` (administrator), ``maria`` (moderator), ``nikos`` (Άνω Σύρος),
``stella`` (Ποσειδωνία), ``irini`` (born 2011: too young to vote). All are on
the demo voter roll.
"""

from __future__ import annotations

import re

from syros_app.identity.stand_in import demo_resident


def stand_in_button_name(key: str) -> str:
    resident = demo_resident(key)
    if resident is None:
        raise KeyError(key)
    first = resident.first_name.title() if resident.first_name.isupper() else resident.first_name
    last = resident.last_name.title() if resident.last_name.isupper() else resident.last_name
    return f"{first} {last}"


def login_with_stand_in(page, base_url: str, key: str = "nikos", next_path: str = "/") -> None:
    """Go to /auth/login?next=…, pick the demo resident, and wait until back on ``next_path``."""
    page.goto(f"{base_url}/auth/login?next={next_path}")
    page.get_by_role("button", name=stand_in_button_name(key)).click()
    path = re.escape(next_path.rstrip("/"))
    page.wait_for_url(re.compile(rf"^{re.escape(base_url)}{path}/?(\?.*)?$"))
