from starlette.testclient import TestClient

from syros_app.api.app import create_api
from syros_app.api.caching import cache_policy


def test_api_index_lists_capabilities(engine):
    client = TestClient(create_api())
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Syros Agora" and isinstance(body["capabilities"], list)


def test_cache_policy_for_static_files():
    assert b"immutable" in cache_policy("/assets/index-abc123.js")
    assert cache_policy("/sw.js") == b"no-cache"
    assert cache_policy("/api/v1/") is None
