"""Command line: ``python -m syros_app <command>`` (also installed as ``syros-agora``).

Commands:
  db upgrade            apply Alembic migrations to the configured database
  demo load             load the demo data (idempotent)
  audit verify          verify the audit log's hash chain; exit 1 on a broken link
  settings check        validate the configuration (as production start-up does)
  roles matrix          who may do what, per capability (``--readme`` writes it into README.md)
  serve app             serve the app (production mode) and its companion processes
                        (refused, exit 3, while the database's migrations are behind)
  backup create|restore FILE   database and data files in one archive (never the secret keys)

Capabilities add their own commands through ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping

if __name__ == "__main__":  # run as ``python -m syros_app``: capability ``cli`` modules import
    sys.modules.setdefault("syros_app.__main__", sys.modules[__name__])  # ``syros_app.__main__``: the same module

COMMANDS: dict[tuple[str, str], tuple[str, Callable[[argparse.Namespace], int], Callable[[argparse.ArgumentParser], None] | None]] = {}


def command(group: str, name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] | None = None):
    def decorate(func: Callable[[argparse.Namespace], int]):
        COMMANDS[(group, name)] = (help_text, func, arguments)
        return func

    return decorate


@command("db", "upgrade", "apply Alembic migrations")
def _db_upgrade(_args: argparse.Namespace) -> int:
    from syros_app.core.migrations import upgrade

    upgrade()
    print("database is up to date")
    return 0


@command("audit", "verify", "verify the audit log's hash chain")
def _audit_verify(_args: argparse.Namespace) -> int:
    from syros_app.core.audit import verify_chain
    from syros_app.core.db import session_scope

    with session_scope() as session:
        result = verify_chain(session)
    if result.ok:
        print(f"audit log OK: {result.checked} entries, chain intact")
        return 0
    print(f"audit log BROKEN at entry {result.broken_id}: {result.reason} ({result.checked} entries verified before it)")
    return 1


@command("demo", "load", "load the demo data (idempotent)")
def _demo_load(_args: argparse.Namespace) -> int:
    from syros_app.demo.seed import load_demo_data

    summary = load_demo_data()
    print("demo data: " + (", ".join(f"{k}={v}" for k, v in summary.items()) or "nothing new"))
    return 0


# Extra processes that run beside the app under ``serve`` (e.g. the outbox
# worker); capabilities append ``python -m syros_app …`` argument lists here.
COMPANION_PROCESSES: list[list[str]] = []


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-companions", action="store_true",
                        help="serve the app alone (systemd runs the workers as their own units)")


# Granian's Rust side allocates with jemalloc, which keeps freed pages until later allocations
# (no background thread in its build): after a crowd of residents leaves, a worker would keep
# their websocket buffers (≈ 150 KB each) for good. Purging at once gives them back to the
# machine (bench/live_clients.py measures it); an administrator's own setting wins.
GRANIAN_JEMALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"


def app_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the app server runs in: the caller's, plus the allocator setting above."""
    env = dict(environ)
    env.setdefault("_RJEM_MALLOC_CONF", GRANIAN_JEMALLOC_CONF)
    return env


@command("serve", "app", "serve the app in production mode with its companion processes", _serve_arguments)
def _serve(args: argparse.Namespace) -> int:
    import signal
    import subprocess

    from syros_app.core.settings import get_settings, ops_settings
    from syros_app.ops.logs import configure_logging
    from syros_app.ops.startup import check_database
    from syros_app.ops.supervisor import Supervisor

    settings = get_settings()
    code, why = check_database()
    if code:
        print(f"Syros Agora refuses to start: {why}", file=sys.stderr)
        return code
    configure_logging()
    companions = [] if getattr(args, "no_companions", False) else COMPANION_PROCESSES
    supervisor = Supervisor([[sys.executable, "-m", "syros_app", *argv] for argv in companions],
                            maximum=ops_settings().companion_backoff_max)
    supervisor.run_in_background()
    print(f"Syros Agora: {settings.public_url} (Ctrl-C stops it)")
    app = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "warning"],
                           env=app_environment(os.environ))
    try:
        return app.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGINT)
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
        supervisor.stop()


README_MATRICES = ("<!-- role-matrices:begin (python -m syros_app roles matrix --readme) -->",
                   "<!-- role-matrices:end -->")


def readme_with_matrices(readme: str, tables: str) -> str:
    begin, end = README_MATRICES
    head, _, rest = readme.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{tables}\n{end}{tail}"


def _matrix_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--readme", action="store_true", help="write the tables into README.md")


@command("roles", "matrix", "print who may do what in every capability (Markdown)", _matrix_arguments)
def _roles_matrix(args: argparse.Namespace) -> int:
    from syros_app.capabilities import role_matrices_markdown
    from syros_app.core.settings import PROJECT_ROOT

    tables = role_matrices_markdown()
    if args.readme:
        path = PROJECT_ROOT / "README.md"
        path.write_text(readme_with_matrices(path.read_text(encoding="utf-8"), tables), encoding="utf-8")
    print(tables)
    return 0


@command("settings", "check", "validate the configuration")
def _settings_check(_args: argparse.Namespace) -> int:
    from syros_app.core.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    print(f"configuration OK ({settings.environment}, database {settings.database_url.split(':')[0]})")
    return 0


def _load_capability_commands() -> None:
    import importlib

    from syros_app.capabilities import load_all

    importlib.import_module("syros_app.ops.cli")
    load_all("cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syros-agora", description="Syros Agora administration")
    groups = parser.add_subparsers(dest="group", required=True)
    by_group: dict[str, argparse._SubParsersAction] = {}
    for (group, name), (help_text, func, arguments) in sorted(COMMANDS.items()):
        if group not in by_group:
            by_group[group] = groups.add_parser(group).add_subparsers(dest="name", required=True)
        sub = by_group[group].add_parser(name, help=help_text)
        if arguments:
            arguments(sub)
        sub.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    from syros_app.core.settings import SettingsError

    try:
        _load_capability_commands()
        args = build_parser().parse_args(argv)
        return args.func(args)
    except SettingsError as exc:  # modules read settings on import: one clear line, not a traceback
        print(f"Syros Agora refuses to start: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # ``python -m syros_app`` runs this file as ``__main__``; capability ``cli`` modules
    # register into ``syros_app.__main__`` (COMMANDS, COMPANION_PROCESSES), so run that one.
    from syros_app.__main__ import main as _main

    sys.exit(_main())
