"""Page weight and Lighthouse mobile figures of a page (the home page unless --path) in production mode.

    make bench            (or: .venv/bin/python bench/page_weight.py [--url URL | --path /consultations/1] [--runs N])

Starts the app in production mode on a free port (unless --url is given), loads
the page in Chromium and counts requests and compressed bytes by type,
then runs Lighthouse 12.2.3 (npm, installed into .tools/ on first use) with its
mobile profile N times and prints the medians. Not a timed test: these
machines are noisy, so quote medians and compare with the measured floor of a
blank Reflex 0.10 page (12 requests, 244 KB JS + 84 KB CSS, LCP 2.97 s,
performance 0.89, accessibility 0.95).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TARGETS = {"js_css_kb": 300, "lcp_s": 2.5, "accessibility": 1.0}


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "install", "--prefix", str(ROOT / ".tools"), "--no-audit", "--no-fund",
                        "--loglevel=error", "lighthouse@12.2.3"], check=True)


def transfer_figures(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    sizes: dict[str, int] = {}
    counts = {"requests": 0}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update"])
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        types: dict[str, str] = {}

        def on_response(event):
            types[event["requestId"]] = event["type"]

        def on_finished(event):
            kind = types.get(event["requestId"], "Other")
            counts["requests"] += 1
            sizes[kind] = sizes.get(kind, 0) + int(event["encodedDataLength"])

        cdp.on("Network.responseReceived", on_response)
        cdp.on("Network.loadingFinished", on_finished)
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(1000)
        browser.close()
    return {
        "requests": counts["requests"],
        "js_kb": round(sizes.get("Script", 0) / 1024, 1),
        "css_kb": round(sizes.get("Stylesheet", 0) / 1024, 1),
        "all_kb": round(sum(sizes.values()) / 1024, 1),
    }


def lighthouse_run(url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
             "--only-categories=performance,accessibility",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
             "--disable-component-update"],
            check=True, env=env, cwd=tmp, timeout=240,
        )
        report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="measure a running app instead of starting one")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", default="/", help="the page of the demo app to measure, e.g. /consultations/1")
    args = parser.parse_args()
    ensure_lighthouse()

    server = None
    url = args.url
    if url is None:
        from tests.e2e.conftest import AppServer, _free_port, _wait_for  # reuse the e2e start-up

        data_dir = Path(tempfile.mkdtemp(prefix="bench-"))
        port = _free_port()
        env = {**os.environ, "SYROS_PORT": str(port), "SYROS_DATA_DIR": str(data_dir),
               "SYROS_DATABASE_URL": f"sqlite:///{data_dir / 'agora.db'}",
               "SYROS_PUBLIC_URL": f"http://localhost:{port}"}
        app = AppServer(f"http://localhost:{port}", env, data_dir)
        for cli_args in (("db", "upgrade"), ("demo", "load")):
            app.cli(*cli_args)
        log = data_dir / "server.log"
        server = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "warning"],
                                  cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                  start_new_session=True)
        _wait_for(app.url("/ping"), 600, server, log)
        _wait_for(app.url("/"), 120, server, log)
        url = app.url(args.path)
    try:
        weight = transfer_figures(url)
        runs = [lighthouse_run(url) for _ in range(args.runs)]
    finally:
        if server is not None:
            import signal

            os.killpg(server.pid, signal.SIGKILL)
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    js_css = weight["js_kb"] + weight["css_kb"]
    print(f"page {url}")
    print(f"  requests: {weight['requests']}  JS: {weight['js_kb']} KB  CSS: {weight['css_kb']} KB  "
          f"JS+CSS: {js_css:.1f} KB (target <= {TARGETS['js_css_kb']})  all: {weight['all_kb']} KB (compressed)")
    print(f"  Lighthouse mobile, median of {len(runs)}: performance {median['performance']:.2f}  "
          f"LCP {median['lcp_s']:.2f} s (target <= {TARGETS['lcp_s']})  FCP {median['fcp_s']:.2f} s  "
          f"TBT {median['tbt_ms']:.0f} ms  accessibility {median['accessibility']:.2f} (target {TARGETS['accessibility']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
