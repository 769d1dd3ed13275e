"""A municipality that sets ``SYROS_DEFAULT_LANGUAGE=en``: a first visit is in English.

The setting is read when the front end is compiled (the document language, the
texts pre-rendered into the HTML) and by the server (the language cookie's
default, the consultation preview), so it needs an app built with it: a second
production server, built from a copy of the project (the other tests' server
keeps serving from the project's own ``.web`` meanwhile).
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
from collections.abc import Iterator
from html import escape

import pytest
from playwright.sync_api import Page, expect

from syros_app.api.route_preload import LANGUAGE_COOKIE
from syros_app.capabilities import CAPABILITY_PACKAGES
from syros_app.core.i18n import translate
from syros_app.core.registry import nav_entries

from .conftest import ROOT, AppServer, assert_accessible, copy_project, running_app, set_language, wait_ready

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def english_server(tmp_path_factory) -> Iterator[AppServer]:
    project = copy_project(tmp_path_factory.mktemp("default-en-project"))
    bun_dir = ROOT / ".tools" / "node_modules" / ".bin"  # the copy has no .tools of its own
    env = {"SYROS_DEFAULT_LANGUAGE": "en", "PATH": f"{bun_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    try:
        with running_app(tmp_path_factory.mktemp("default-en-data"), project_dir=project, extra_env=env) as server:
            yield server
    finally:
        shutil.rmtree(project, ignore_errors=True)  # its build is some 140 MB


def public_nav_texts(lang: str) -> list[str]:
    """The navigation a visitor sees: home, then each capability's public entries (they register on import)."""
    for package in CAPABILITY_PACKAGES:
        importlib.import_module(package)
    return [translate(key, lang) for key in ["nav.home", *(e.label_key for e in nav_entries())]]


def expect_shell_in(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(translate("home.title", lang))
    # every destination once in the bar itself (the phone's "More" list repeats the last ones)
    expect(page.locator(".main-nav > ul > li > .nav-link")).to_have_text(public_nav_texts(lang))
    expect(page.locator(f".lang-switch button[lang='{lang}']")).to_have_attribute("aria-pressed", "true")


def test_first_visit_is_in_the_configured_language(english_server, page, context):
    # The browser says Greek (el-GR, as in every e2e test) and has no cookie yet: the setting decides.
    assert context.cookies() == []
    first = page.request.get(english_server.url("/api/v1/consultations")).json()["consultations"][0]
    section = page.request.get(english_server.url(f"/api/v1/consultations/{first['id']}")).json()["sections"][0]
    served = page.request.get(english_server.url(f"/consultations/{first['id']}")).text()
    assert re.search(r'<html[^>]*\blang="en"', served)
    article = f"{translate('consultations.article', 'en')} {section['position']}. {escape(section['title'])}"
    assert '<div id="page-preview"' in served and article in served
    # without a cookie the API answers in the configured language too
    refusal = page.request.post(english_server.url("/api/v1/push/subscriptions"),
                                data={"subscription": {"endpoint": "not an address"}},
                                headers={"Origin": english_server.url("").rstrip("/")})
    assert refusal.status == 400 and refusal.json()["message"] == translate(refusal.json()["error"], "en")

    page.goto(english_server.url("/"))
    wait_ready(page)
    expect_shell_in(page, "en")
    expect(page).to_have_title(re.compile(re.escape(translate("app.name", "en"))))  # compiled in that language
    assert_accessible(page, "home (en, the configured default)")

    set_language(page, "el")
    expect_shell_in(page, "el")
    assert_accessible(page, "home (el, chosen)")
    assert {c["name"]: c["value"] for c in context.cookies()}.get(LANGUAGE_COOKIE) == "el"

    page.reload()
    wait_ready(page)
    expect_shell_in(page, "el")
    # the server reads the same choice: the preview's labels follow it
    served = page.request.get(english_server.url(f"/consultations/{first['id']}")).text()
    assert f"{translate('consultations.article', 'el')} {section['position']}. " in served
