"""Debian's nginx on loopback, with the project's own site (deploy/nginx) in a private config.

The binary is the machine's when installed, else Debian's package unpacked into
``.nginx/`` (``apt-get download`` + ``dpkg-deb -x``; ``make nginx`` does the same):
nothing is installed system-wide, no service is started, the system's sites are never
read. The site is rendered from ``deploy/nginx/syros-agora.conf``: the same locations,
websocket upgrade, caching and body limits, on a free loopback port without TLS, with
the given app instances as upstream servers. Ports 80/443 are never bound.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from syros_app.core.settings import PROJECT_ROOT

LOCAL = PROJECT_ROOT / ".nginx"
SITE = PROJECT_ROOT / "deploy" / "nginx" / "syros-agora.conf"


def nginx_binary() -> Path:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx", LOCAL / "usr/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    LOCAL.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["apt-get", "download", "nginx"], cwd=tmp, check=True, capture_output=True, timeout=300)
        package = next(Path(tmp).glob("nginx_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(package), str(LOCAL)], check=True, timeout=120)
    return LOCAL / "usr/sbin/nginx"


def render_site(port: int, upstreams: list[str], work: Path) -> str:
    """The deploy site on ``127.0.0.1:port`` in plain HTTP, proxying to ``upstreams``."""
    site = SITE.read_text()
    site = re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {work / 'cache'}", site)
    servers = "".join(f"    server {u};\n" for u in upstreams)
    site = re.sub(r"(upstream syros_agora \{\n)(?:\s*#?\s*server [^\n]*\n)+", lambda m: m.group(1) + servers, site)
    site = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", site, flags=re.DOTALL)  # the redirect to https
    site = site.replace("    listen 443 ssl;\n", f"    listen 127.0.0.1:{port};\n")
    site = re.sub(r"    (listen \[::\]:443 ssl|http2 on|ssl_\w+|add_header Strict-Transport-Security)[^\n]*\n", "",
                  site)
    site = site.replace("server_name agora.syros-ermoupolis.gr;", "server_name localhost 127.0.0.1;")
    site = site.replace("proxy_set_header Host $host;", "proxy_set_header Host $http_host;")  # keeps the port (every one)
    assert "443" not in site and "listen 80" not in site, site
    return site


class Nginx:
    def __init__(self, port: int, upstreams: list[str]) -> None:
        self.port = port
        self.work = Path(tempfile.mkdtemp(prefix="syros-nginx-"))
        self.binary = nginx_binary()
        temp = {name: self.work / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "cache")}
        for path in temp.values():
            path.mkdir()
        (self.work / "site.conf").write_text(render_site(port, upstreams, self.work))
        (self.work / "nginx.conf").write_text(f"""
worker_processes 1;
pid {self.work / 'nginx.pid'};
error_log {self.work / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    access_log {self.work / 'access.log'};
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {self.work / 'site.conf'};
}}
""")
        if os.geteuid() == 0:  # the workers run as "nobody": they write the cache and temporary files
            for path in (self.work, *self.work.rglob("*")):
                shutil.chown(path, "nobody", "nogroup")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> None:
        argv = [str(self.binary), "-p", str(self.work), "-e", str(self.work / "error.log"),
                "-c", str(self.work / "nginx.conf"), "-g", "daemon off;"]
        check = subprocess.run([*argv[:-2], "-t"], check=False, capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # nginx answers (the app may still be starting)
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"nginx did not start: {(self.work / 'error.log').read_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.work, ignore_errors=True)
