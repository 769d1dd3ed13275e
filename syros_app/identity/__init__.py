"""Identity: gov.gr (TAXISnet) login, sessions, people, roles, voter rolls, my data."""

from syros_app.core.actors import register_actor_provider
from syros_app.core.registry import Capability, NavEntry, register_capability


def _resolve_actor(cookie_header: str):
    """Identity is the actor provider: the session behind a cookie header, looked up now."""
    from syros_app.core.db import session_scope

    from .sessions import resolve_cookie_header

    with session_scope() as session:
        return resolve_cookie_header(session, cookie_header)


register_actor_provider(_resolve_actor)


def _banner():
    from .components import test_login_banner

    return test_login_banner()


def _account_menu():
    from .components import account_menu

    return account_menu()


def _register_shell() -> None:
    from syros_app.ui import layout

    if _banner not in layout.BANNERS:
        layout.BANNERS.append(_banner)
    if _account_menu not in layout.HEADER_EXTRAS:
        layout.HEADER_EXTRAS.append(_account_menu)


register_capability(
    Capability(
        name="identity",
        nav=[
            NavEntry(route="/staff/roles", label_key="identity.nav.staff_roles", icon="shield-check", staff_only=True,
                     permission=("identity", "view_staff_list")),
            NavEntry(route="/staff/rolls", label_key="identity.nav.staff_rolls", icon="list-checks", staff_only=True,
                     permission=("identity", "view_rolls")),
        ],
    )
)
_register_shell()
