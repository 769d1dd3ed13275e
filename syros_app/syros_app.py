"""The Reflex application: pages, PWA head tags and the HTTP API mount."""

from __future__ import annotations

import reflex as rx

from syros_app import capabilities  # noqa: F401  (registers every capability)
from syros_app.api.app import create_api
from syros_app.core.i18n import translate
from syros_app.core.settings import get_settings
from syros_app import ops
from syros_app.identity import guard
from syros_app.ui import connection, error_page, pwa
from syros_app.ui.pages.home import HomeState, home_page
from syros_app.ui.pages.info import accessibility_page, developers_page, privacy_page
from syros_app.ui.pages.not_found import not_found_page
from syros_app.ui.pages.staff_hub import staff_hub_page

TITLE = translate("app.name") + " · " + translate("app.municipality")

app = rx.App(
    html_lang=get_settings().default_language,
    head_components=pwa.head_components(),
    stylesheets=pwa.stylesheets(),
    api_transformer=create_api(),
    toaster=None,
)
connection.install(app)
error_page.install(app)
guard.install(app)
ops.install(app)

app.add_page(home_page, route="/", title=TITLE, on_load=HomeState.load,
             description=translate("home.intro"))
app.add_page(accessibility_page, route="/accessibility", title=translate("accessibility.title") + " · " + TITLE)
app.add_page(privacy_page, route="/privacy", title=translate("privacy.title") + " · " + TITLE)
app.add_page(developers_page, route="/developers", title=translate("developers.title") + " · " + TITLE)
app.add_page(not_found_page, route="404", title=translate("notfound.page_title") + " · " + TITLE)
app.add_page(staff_hub_page, route="/staff", title=translate("staff.title") + " · " + TITLE)

capabilities.add_pages(app, site_title=TITLE)
