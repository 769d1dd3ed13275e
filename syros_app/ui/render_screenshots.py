"""Take the manifest's screenshots from a running app with the demo data (run by hand).

    .venv/bin/python -m syros_app.ui.render_screenshots http://localhost:3000

Phone shots at 360 × 640 CSS pixels (1080 × 1920 at 3×, ``form_factor: narrow``) and one
desktop shot (1280 × 800, ``wide``), in Greek, into ``assets/screenshots/``. The install
dialog of Chromium and Android shows them; the file names are listed in the manifest.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[2] / "assets" / "screenshots"
SHOTS = [  # (file, path, viewport, scale)
    ("home-narrow.png", "/", {"width": 360, "height": 640}, 3),
    ("consultations-narrow.png", "/consultations", {"width": 360, "height": 640}, 3),
    ("measurement-narrow.png", "/measurement", {"width": 360, "height": 640}, 3),
    ("home-wide.png", "/", {"width": 1280, "height": 800}, 1),
]


def main(base_url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for name, path, viewport, scale in SHOTS:
            context = browser.new_context(viewport=viewport, device_scale_factor=scale, locale="el-GR")
            page = context.new_page()
            page.goto(base_url.rstrip("/") + path, wait_until="networkidle")
            page.wait_for_function("() => !document.querySelector('#main .muted[aria-live]')", timeout=20_000)
            page.add_style_tag(content=".banner-test { display: none !important; }")  # the stand-in's banner
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / name))
            context.close()
        browser.close()
    print("took", ", ".join(name for name, *_ in SHOTS))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000")
