"""``backup create FILE`` and ``backup restore FILE``."""

from __future__ import annotations

import argparse
import sys

from syros_app.__main__ import command


def _file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the archive (.tar.gz)")


def _restore_arguments(parser: argparse.ArgumentParser) -> None:
    _file_argument(parser)
    parser.add_argument("--yes", action="store_true", help="replace the current database without asking")
