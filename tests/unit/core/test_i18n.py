"""Every key exists in both catalogues; no visible text is written outside them."""

import ast
from pathlib import Path

from syros_app.core import i18n

APP = Path(__file__).resolve().parents[3] / "syros_app"

# Props whose value a person reads or hears.
VISIBLE_PROPS = {"placeholder", "aria_label", "title", "alt", "label", "content_text", "aria_description"}


def test_catalogues_have_the_same_keys():
    assert i18n.missing_keys() == {}


def test_no_empty_translations():
    for lang, cat in i18n.catalogues().items():
        empty = [k for k, v in cat.items() if not v.strip()]
        assert not empty, f"{lang}: empty texts for {empty}"


def test_translate_falls_back_and_formats():
    assert i18n.translate("nav.home", "en") == "Home"
    assert i18n.translate("nav.home", "xx") == i18n.translate("nav.home", "el")
    assert i18n.translate("no.such.key", "en") == "no.such.key"


def _ui_modules():
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if parts[0] == "ui" or path.name in {"pages.py", "components.py"} or "pages" in parts:
            if path.name != "render_icons.py":
                yield path


# Attribute values that are tokens, not text (aria-pressed="true", …).
NON_TEXT_TOKENS = {"true", "false", "polite", "assertive", "page", "button", "submit", "_blank"}


def _is_visible_literal(node: ast.AST) -> bool:
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return False
    return node.value not in NON_TEXT_TOKENS and any(ch.isalpha() for ch in node.value)


def _is_component_call(call: ast.Call) -> bool:
    func = call.func
    while isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id == "rx":
            return True
        func = func.value
    return False


def find_literal_ui_strings(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _is_component_call(node):
            name = ast.unparse(node.func)
            if name.endswith(("icon", "script", "call_script", "redirect", "Cookie", "LocalStorage", "asset", "el.style")):
                continue
            for arg in node.args:
                if _is_visible_literal(arg):
                    found.append((node.lineno, arg.value))
            for kw in node.keywords:
                if kw.arg in VISIBLE_PROPS and _is_visible_literal(kw.value):
                    found.append((node.lineno, kw.value.value))
    return found


def test_the_literal_scan_catches_a_literal():
    sample = "import reflex as rx\nrx.el.p('Γεια σου')\nrx.el.input(placeholder='Name')\nrx.el.p(t('k'), ': ')\n"
    assert [text for _, text in find_literal_ui_strings(sample)] == ["Γεια σου", "Name"]


def test_no_user_visible_literals_in_ui_code():
    offenders = []
    for path in _ui_modules():
        for line, text in find_literal_ui_strings(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(APP)}:{line}: {text!r}")
    assert not offenders, "visible text must come from the catalogues:\n" + "\n".join(offenders)
