"""Render the SVG marks to the PNG icons the manifest needs (run by hand after editing).

    .venv/bin/python -m syros_app.ui.render_icons
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parents[2] / "assets" / "icons"
TARGETS = [
    ("mark.svg", "icon-192.png", 192),
    ("mark.svg", "icon-512.png", 512),
    ("mark-maskable.svg", "icon-maskable-512.png", 512),
    ("mark-maskable.svg", "apple-touch-icon.png", 180),
]

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    for source, target, size in TARGETS:
        page = browser.new_page(viewport={"width": size, "height": size})
        svg = (HERE / source).read_text().replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
        page.set_content(
            "<html><body style='margin:0;background:transparent'>"
            f"<div style='width:{size}px;height:{size}px'>{svg}</div></body></html>"
        )
        page.locator("div").screenshot(path=str(HERE / target), omit_background=True)
        page.close()
    browser.close()
print("rendered", ", ".join(t for _, t, _ in TARGETS))
