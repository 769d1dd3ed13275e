"""A page that fails to draw shows our shell and words in both languages, never Reflex's."""

import json

from syros_app.core.i18n import translate
from syros_app.ui import error_page


def test_the_error_boundary_speaks_greek_and_english_and_hides_the_trace():
    for stateful in (True, False):
        rendered = "".join(error_page.error_boundary(stateful).render()["props"])
        shown = rendered.split("onError:")[0]  # the fallback; the error handler only reports to the server
        for lang in ("el", "en"):
            for key in ("error.title", "error.reload", "error.home"):
                assert json.dumps(translate(key, lang))[1:-1] in shown, (lang, key)
            assert f'lang:"{lang}"' in shown
        assert "An error occurred while rendering" not in shown and "Built with" not in shown
        assert "reflex.dev" not in shown and "stack" not in shown.lower()
        assert "ref_" not in shown  # no element refs outside a page (they would be undefined)


def test_the_app_uses_it():
    import syros_app.syros_app as application

    assert application.app.app_wraps[(55, "ErrorBoundary")] is error_page.error_boundary
