"""Who is asking: the client address, honouring ``X-Forwarded-For`` only from trusted proxies.

Behind nginx every request comes from 127.0.0.1; trusting the header from anyone
else would let a visitor pick their own address (and escape rate limits or reach
``/metrics`` as "loopback").
"""

from __future__ import annotations

import ipaddress

from starlette.types import Scope

from syros_app.core.settings import ops_settings


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _in(address: str, networks: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for net in networks:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(scope: Scope) -> str:
    """The address of the person, walking ``X-Forwarded-For`` back past trusted proxies."""
    peer = (scope.get("client") or ("", 0))[0] or ""
    trusted = ops_settings().trusted_proxies
    if not trusted or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in _header(scope, b"x-forwarded-for").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop
    return hops[0] if hops else peer


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def header(scope: Scope, name: str) -> str:
    return _header(scope, name.lower().encode("latin-1"))
