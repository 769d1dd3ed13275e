"""End-to-end fixtures: the real app in production mode, driven by Chromium.

One server per test run (building the front end takes a while): migrated,
with demo data, on a free port, with its own data folder. A test that needs
the app built with other settings starts its own from a copy of the project
(:func:`running_app`, :func:`copy_project`). Every page a test opens should be
checked with :func:`assert_accessible`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.e2e

# CI shares two cores between the server, Chromium and the tests: give state
# updates over the websocket more than Playwright's default 5 s to arrive.
expect.set_options(timeout=15_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, timeout: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early (code {proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"app did not answer {url} within {timeout}s:\n{log.read_text()[-4000:]}")


def _redis_url() -> str | None:
    """The local Redis (every project machine runs one); required under CI=true."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return url
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI", "").lower() == "true":
            raise RuntimeError(f"Redis not reachable at {url} (required under CI=true): {exc}") from exc
        return None


class AppServer:
    def __init__(self, base_url: str, env: dict[str, str], data_dir: Path, project_dir: Path = ROOT) -> None:
        self.base_url = base_url
        self.env = env
        self.data_dir = data_dir
        self.project_dir = project_dir
        self.redis_url: str | None = None

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``python -m syros_app …`` against this server's database."""
        return subprocess.run([sys.executable, "-m", "syros_app", *args], cwd=self.project_dir, env=self.env,
                              capture_output=True, text=True, timeout=120)


@contextmanager
def running_app(data_dir: Path, *, project_dir: Path = ROOT, extra_env: dict[str, str] | None = None) -> Iterator[AppServer]:
    """The production build of ``project_dir`` on a free port: migrated, with demo data; stopped afterwards.

    The front end is built into ``project_dir/.web``, so two servers at once need
    two project folders (see :func:`copy_project`).
    """
    port = _free_port()
    env = {
        **os.environ,
        "SYROS_PORT": str(port),
        "SYROS_DATA_DIR": str(data_dir),
        "SYROS_DATABASE_URL": f"sqlite:///{data_dir / 'agora.db'}",
        "SYROS_PUBLIC_URL": f"http://localhost:{port}",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        **(extra_env or {}),
    }
    redis_url = _redis_url()
    if redis_url:
        env["SYROS_REDIS_URL"] = redis_url  # production-like: state in Redis, as with several processes
    server = AppServer(f"http://localhost:{port}", env, data_dir, project_dir)
    server.redis_url = redis_url
    for args in (("db", "upgrade"), ("demo", "load")):
        result = server.cli(*args)
        assert result.returncode == 0, result.stderr
    log = data_dir / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "warning"],
            cwd=project_dir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_for(server.url("/ping"), 600, proc, log)
        _wait_for(server.url("/"), 120, proc, log)
        yield server
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=10)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


def copy_project(dest: Path) -> Path:
    """The project's files (tracked, and new ones git does not ignore) copied to ``dest``: no build output."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listing.split(b"\0")):
        source = ROOT / os.fsdecode(name)
        if source.is_file():  # a tracked file deleted in the working tree is skipped
            target = dest / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[AppServer]:
    with running_app(tmp_path_factory.mktemp("e2e-data")) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def profile_page(playwright_instance, tmp_path) -> Iterator[Page]:
    """A page in a real (non-incognito) profile: installability needs one."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE,
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


_AXE = Axe()


def assert_accessible(page: Page, label: str = "") -> None:
    """Run axe-core (WCAG 2.1 A/AA rules and best practice) and fail on any violation."""
    results = _AXE.run(page, options={"resultTypes": ["violations"],
                                      "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    violations = results.response.get("violations", [])
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
    assert not violations, f"axe-core violations on {label or page.url}:\n{summary}"


def wait_ready(page: Page) -> None:
    """Wait until the page is hydrated and its websocket has delivered state."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('main') !== null")


def set_language(page: Page, lang: str) -> None:
    """Switch, and wait until the choice is also in the cookie (so the next page load keeps it)."""
    from syros_app.core.i18n import LANGUAGE_COOKIE

    page.locator(f".lang-switch button[lang='{lang}']").click()
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
    page.wait_for_function(f"() => document.cookie.split('; ').includes('{LANGUAGE_COOKIE}={lang}')")


def login_as(app_server: AppServer, context: BrowserContext, key: str = "eleni", *, roles: tuple = (),
             display_name: str | None = None, birth_year: int = 1980, taxid: str | None = None) -> int:
    """Create (or reuse) a person in the running app's database and log the browser in.

    This stands for the gov.gr round trip (tested on its own in the identity
    tests): it writes a person and a server-side session, and sets the same
    HttpOnly cookie the OAuth callback sets. Returns the person's id.
    """
    from sqlmodel import Session, select

    from syros_app.core.db import make_engine
    from syros_app.identity.hashing import taxid_hmac, with_check_digit
    from syros_app.identity.models import Person, RoleGrant
    from syros_app.identity.sessions import SESSION_COOKIE, create_login_session
    from tests.support.personas import TAXIDS

    import datetime as _dt

    taxid = taxid or TAXIDS.get(key) or with_check_digit(str(abs(hash(key)) % 10**8))
    engine = make_engine(app_server.env["SYROS_DATABASE_URL"])
    secret = (app_server.data_dir / "secret_key").read_text().strip()
    digest = taxid_hmac(taxid, secret=secret)
    now = _dt.datetime.now(_dt.timezone.utc)
    with Session(engine, expire_on_commit=False) as session:
        person = session.exec(select(Person).where(Person.taxid_hmac == digest)).first()
        if person is None:
            person = Person(taxid_hmac=digest, display_name=display_name or key.capitalize(),
                            birth_year=birth_year, first_login_at=now, last_login_at=now)
            session.add(person)
            session.flush()
        elif display_name and person.display_name != display_name:
            person.display_name = display_name  # tests share one database: the caller's name wins
            session.add(person)
            session.flush()
        for role in roles:
            exists = session.exec(select(RoleGrant).where(RoleGrant.person_id == person.id,
                                                          RoleGrant.role == str(role))).first()
            if exists is None:
                session.add(RoleGrant(person_id=person.id, role=str(role), granted_at=now))
        token = create_login_session(session, person)
        session.commit()
        person_id = person.id
    engine.dispose()
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": app_server.base_url,
                          "httpOnly": True, "sameSite": "Lax"}])
    return person_id
