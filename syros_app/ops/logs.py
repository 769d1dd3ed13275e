"""One JSON line per HTTP request and per Reflex event, each with a request id.

Everything goes through the stdlib ``logging``; :func:`configure_logging` puts one
handler on the root logger whose formatter writes a JSON object per record and then
scrubs the whole line: e-mail addresses, runs of nine or more digits (ΑΦΜ, phone
numbers, whatever the separators) and long opaque tokens (session cookies, OAuth
codes, confirmation links) never reach a log line, even when a library logs a URL
with its query string or an exception quotes a value. The request id comes from
nginx's ``X-Request-ID`` when it is well formed (so one id follows a request
through the proxy's log and ours) and is sent back on the answer.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("syros_request_id", default="")


access_log = logging.getLogger("syros_app.access")
event_log = logging.getLogger("syros_app.events")

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Nine or more digits, allowing single spaces, dots, dashes or an international "+"
# between groups: a ΑΦΜ (9), a Greek phone number (10, or +30 …), a card number.
_LONG_NUMBER = re.compile(r"(?:\+|%2B|00)?\d(?:[ .\-]?\d){8,}")
# Opaque secrets (token_urlsafe, hex digests, JWT parts): 22+ characters of the
# URL-safe alphabet with a digit or one of "-_", or 22+ letters with six or more of each
# case (a random token is about half capitals; a CamelCase name such as
# IdentityGuardStateMiddleware has a capital per word and stays readable).
_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-])(?:(?=[A-Za-z0-9_\-]*[0-9_\-])[A-Za-z0-9_\-]{22,}"
                    r"|(?=(?:[a-z]*[A-Z]){6})(?=(?:[A-Z]*[a-z]){6})[A-Za-z]{22,})(?![A-Za-z0-9_\-])")
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9\-]{8,64}$")

def redact(text: str) -> str:
    """Replace personal data and secrets in ``text`` by placeholders."""
    text = _EMAIL.sub("[email]", text)
    text = _TOKEN.sub("[token]", text)
    return _LONG_NUMBER.sub("[number]", text)


def new_request_id(given: str | None = None) -> str:
    """The proxy's id when it is a plain id (never a place to smuggle data), else a new one."""
    if given and _REQUEST_ID_OK.match(given) and not _LONG_NUMBER.search(given):
        return given
    return str(uuid.uuid4())


_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", "request_id", …extra fields, "exc"}`` on one line, scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        line = redact(json.dumps(entry, ensure_ascii=False, default=str))
        request_id = REQUEST_ID.get()
        if not request_id:
            return line
        # Added after scrubbing (a UUID looks like a token); only plain ids are ever set (new_request_id).
        return f'{line[:-1]}, "request_id": {json.dumps(request_id)}}}'


class TextFormatter(logging.Formatter):
    """For a developer's terminal (``SYROS_LOG_FORMAT=text``); scrubbed the same way."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_HANDLER_MARK = "_syros_handler"


def configure_logging(*, stream=None, level: str | None = None, fmt: str | None = None) -> logging.Handler:
    """Install (once per process) the scrubbing handler on the root logger.

    Console handlers that others put on the root logger before (``basicConfig``) are
    replaced, so no line reaches the terminal or journald unscrubbed; named loggers that propagate (Granian, uvicorn,
    httpx, SQLAlchemy) end up here too.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        console = type(handler) is logging.StreamHandler and handler.stream in (sys.stderr, sys.stdout)
        if getattr(handler, _HANDLER_MARK, False) or (stream is None and console):
            root.removeHandler(handler)
    from syros_app.core.settings import ops_settings

    config = ops_settings()
    handler = logging.StreamHandler(stream or sys.stderr)
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(TextFormatter() if (fmt or config.log_format) == "text" else JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level or config.log_level)
    return handler


class RequestLogMiddleware:
    """Gives each HTTP request an id, returns it as ``X-Request-ID``, counts it in the
    metrics and logs one line. The line names the route template (never the raw path or query string), the
    status and the time taken.
    """

    def __init__(self, app: ASGIApp, routes: list) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from .metrics import observe_request, route_label

        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = new_request_id(given)
        reset = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            seconds, method, label = time.perf_counter() - started, scope.get("method", ""), route_label(self.routes, scope)
            observe_request(method, label, status, seconds)
            access_log.info("request", extra={"kind": "request", "method": method, "route": label, "status": status,
                                              "duration_ms": round(seconds * 1000, 1)})
            REQUEST_ID.reset(reset)
