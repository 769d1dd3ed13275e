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
