from syros_app.api.route_preload import inject_preloads, parse_manifest

MANIFEST = (
    'window.__reactRouterManifest={"entry":{"module":"/assets/entry.js","imports":[]},"routes":{'
    '"root":{"id":"root","path":"","module":"/assets/root.js","imports":["/assets/c.js"]},'
    '"routes/a":{"id":"routes/a","path":"consultations/:consultation_id","module":"/assets/cons.js","imports":["/assets/c.js","/assets/p.js"]},'
    '"routes/b":{"id":"routes/b","path":"consultations/:consultation_id/report","module":"/assets/rep.js","imports":[]},'
    '"routes/c":{"id":"routes/c","path":"consultations","module":"/assets/list.js","imports":[]}}};'
)


def test_dynamic_routes_are_matched_most_specific_first():
    routes = parse_manifest(MANIFEST)
    assert len(routes) == 2  # static routes are pre-rendered with their own preloads
    match = next(r for r in routes if r.pattern.match("/consultations/12/report"))
    assert match.modules == ("/assets/rep.js",)
    match = next(r for r in routes if r.pattern.match("/consultations/12"))
    assert match.modules[0] == "/assets/cons.js"
    assert not any(r.pattern.match("/consultations") for r in routes)


def test_preloads_are_injected_once_before_head_end():
    html = '<html><head><link rel="modulepreload" href="/assets/c.js"/></head><body></body></html>'
    out = inject_preloads(html, ("/assets/cons.js", "/assets/c.js"))
    assert out.count('href="/assets/c.js"') == 1
    assert '<link rel="modulepreload" href="/assets/cons.js"/></head>' in out


# --- real 404s: a missing item's page is the app's shell with status 404 -------------------

import pytest  # noqa: E402
from sqlmodel import select  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from syros_app.api import route_preload  # noqa: E402
from syros_app.core.db import session_scope  # noqa: E402

PAGES_MANIFEST = (
    'window.__reactRouterManifest={"routes":{'
    + ",".join(f'"{name}":{{"id":"{name}","path":"{name}/:item_id","module":"/assets/{name}.js","imports":[]}}'
               for name in ("consultations", "votes", "notices", "reports"))
    + "}};"
)


@pytest.fixture
def shell_client(engine, tmp_path, monkeypatch):
    from syros_app.api.app import create_api
    from syros_app.demo.seed import load_demo_data

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "manifest-test.js").write_text(PAGES_MANIFEST)
    (tmp_path / "__spa-fallback.html").write_text("<html><head></head><body><div id='root'></div></body></html>")
    monkeypatch.setattr(route_preload, "_static_dir", lambda: tmp_path)
    route_preload._load.cache_clear()
    load_demo_data()
    yield TestClient(create_api())
    route_preload._load.cache_clear()


def test_missing_items_are_real_404s_and_existing_ones_200(shell_client):
    from syros_app.consultations.models import Consultation
    from syros_app.notices.models import Notice
    from syros_app.reports.models import Report
    from syros_app.voting.models import Vote

    with session_scope() as session:
        existing = {name: session.exec(select(model.id)).first()
                    for name, model in (("consultations", Consultation), ("votes", Vote),
                                        ("notices", Notice), ("reports", Report))}
    for name, item in existing.items():
        assert item is not None, f"the demo data has no {name}"
        page = shell_client.get(f"/{name}/{item}")
        assert page.status_code == 200 and "id='root'" in page.text, name
        for bad in ("999999", str(2**70)):
            gone = shell_client.get(f"/{name}/{bad}")
            assert gone.status_code == 404, f"/{name}/{bad} answered {gone.status_code}"
            assert "id='root'" in gone.text, "the 404 still carries the app, which says so in the reader's language"
