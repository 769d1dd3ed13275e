"""Page weight and Lighthouse mobile figures of the public pages in production mode.

    make bench            (or: .venv/bin/python bench/page_weight.py [--url BASE] [--path /x ...] [--runs N])

Starts the app in production mode on a free port (unless --url gives a running one), loads
each page in Chromium and counts requests and compressed bytes by type, then runs
Lighthouse 12.2.3 (npm, installed into .tools/ on first use) with its mobile profile N
times per page and prints the medians: performance, accessibility, LCP, CLS, TBT. Without
--path it measures every page the launch targets name (home, a consultation, a vote, its
results, notices, a notice, reports, a report, measurement) in one run; targets: CLS <= 0.1,
LCP <= 2.5 s, performance >= 0.90, accessibility 1.00. Not a timed test: these
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
TARGETS = {"js_css_kb": 300, "lcp_s": 2.5, "accessibility": 1.0, "cls": 0.1, "performance": 0.9}


def demo_paths(database_url: str) -> list[str]:
    """The pages the launch targets name, with ids from the demo data of ``database_url``."""
    from sqlmodel import Session, select

    from syros_app.consultations.models import Consultation
    from syros_app.core.db import make_engine
    from syros_app.notices.models import Notice
    from syros_app.reports.models import Report
    from syros_app.voting.models import Vote

    engine = make_engine(database_url)
    with Session(engine) as session:
        def first(model, *where):
            row = session.exec(select(model).where(*where)).first()
            return row.id if row is not None else 1

        consultation = first(Consultation, Consultation.status == "open")
        vote = first(Vote, Vote.status != "draft")
        results = first(Vote, Vote.status == "published")
        notice = first(Notice, Notice.published_at.is_not(None))
        report = first(Report)
    engine.dispose()
    return ["/", f"/consultations/{consultation}", f"/votes/{vote}", f"/votes/{results}/results", "/notices",
            f"/notices/{notice}", "/reports", f"/reports/{report}", "/measurement"]


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
        "cls": audits["cumulative-layout-shift"]["numericValue"],
    }


def measure(url: str, runs: int) -> dict:
    weight = transfer_figures(url)
    results = [lighthouse_run(url) for _ in range(runs)]
    median = {key: statistics.median(run[key] for run in results) for key in results[0]}
    return {**weight, **median, "js_css_kb": weight["js_kb"] + weight["css_kb"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="base address of a running app (else one is started)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", action="append", help="a page to measure (repeat); default: the launch pages")
    parser.add_argument("--database-url", help="with --url: the app's database, to find the demo ids")
    args = parser.parse_args()
    ensure_lighthouse()

    server = None
    base = args.url.rstrip("/") if args.url else None
    database_url = args.database_url
    if base is None:
        from tests.e2e.conftest import AppServer, _free_port, _wait_for  # reuse the e2e start-up

        data_dir = Path(tempfile.mkdtemp(prefix="bench-"))
        port = _free_port()
        database_url = f"sqlite:///{data_dir / 'agora.db'}"
        env = {**os.environ, "SYROS_PORT": str(port), "SYROS_DATA_DIR": str(data_dir),
               "SYROS_DATABASE_URL": database_url, "SYROS_PUBLIC_URL": f"http://localhost:{port}"}
        app = AppServer(f"http://localhost:{port}", env, data_dir)
        for cli_args in (("db", "upgrade"), ("demo", "load")):
            app.cli(*cli_args)
        log = data_dir / "server.log"
        server = subprocess.Popen([sys.executable, "-m", "reflex", "run", "--env", "prod", "--loglevel", "warning"],
                                  cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                  start_new_session=True)
        _wait_for(app.url("/ping"), 600, server, log)
        _wait_for(app.url("/"), 120, server, log)
        base = app.base_url
    paths = args.path or (demo_paths(database_url) if database_url else ["/"])
    figures = {}
    try:
        for path in paths:
            figures[path] = measure(base + path, args.runs)
    finally:
        if server is not None:
            import signal

            os.killpg(server.pid, signal.SIGKILL)
    print(f"Lighthouse 12.2.3 mobile, median of {args.runs} run(s) per page; {base}")
    print(f"{'page':<28} {'perf':>5} {'a11y':>5} {'LCP s':>6} {'CLS':>6} {'TBT ms':>7} {'FCP s':>6} "
          f"{'req':>4} {'JS+CSS KB':>9}")
    for path, f in figures.items():
        print(f"{path:<28} {f['performance']:>5.2f} {f['accessibility']:>5.2f} {f['lcp_s']:>6.2f} {f['cls']:>6.3f} "
              f"{f['tbt_ms']:>7.0f} {f['fcp_s']:>6.2f} {f['requests']:>4} {f['js_css_kb']:>9.1f}")
    failing = [path for path, f in figures.items() if f["cls"] > TARGETS["cls"]]
    print(f"targets: CLS <= {TARGETS['cls']}, LCP <= {TARGETS['lcp_s']} s, performance >= {TARGETS['performance']}, "
          f"accessibility {TARGETS['accessibility']}; CLS over target: {', '.join(failing) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
