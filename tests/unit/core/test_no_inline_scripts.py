"""Our scripts are files under assets/js/, never inline: the Content-Security-Policy
(syros_app/ops/hardening.py) allows inline scripts only by hash, and a script React
inserts after hydration is not in the page it hashed."""

import ast
from pathlib import Path

import syros_app

ROOT = Path(syros_app.__file__).resolve().parent


def test_every_rx_script_has_a_src():
    inline = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "script"
                    and (node.args or not any(k.arg == "src" for k in node.keywords))):
                inline.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not inline, f"inline scripts (move them to assets/js/): {inline}"
