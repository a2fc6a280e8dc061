"""What the browser tests share: a real `docrepo serve`, Debian's Chromium, axe-core."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def docrepo_server(
    content: Path, index: Path, watch: bool = False, **env_settings: str
) -> Iterator[str]:
    """`docrepo serve` (`--no-watch` unless `watch`) in its own process on a free loopback
    port, healthy within 60 s; its URL. The process is ended on leaving, whatever happens."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCREPO_")}
    env.update({f"DOCREPO_{k.upper()}": v for k, v in env_settings.items()})
    command = [sys.executable, "-m", "docrepo", "serve", "--port", str(port),
               "--content", str(content), "--index", str(index)]  # fmt: skip
    if not watch:
        command.append("--no-watch")
    # standard error to a file, not a pipe: a watching server logs every update, and a
    # pipe nobody reads would end up blocking it
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        stderr = log.read().decode(errors="replace")
                        raise RuntimeError(f"docrepo serve did not start: {stderr}") from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required: apt-get install chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@contextmanager
def recording_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a fresh context that records console errors in `page.console_errors`."""
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors
        yield page
    finally:
        context.close()


def axe_violations(browser: Any, url: str) -> list[str]:
    """axe-core's violations on a page (its script is injected past the page's CSP)."""
    from axe_playwright_python.sync_playwright import Axe

    with recording_page(browser, bypass_csp=True, locale="fr-FR") as page:
        page.goto(url)
        if "docrepo-search" in page.content():
            page.wait_for_function("customElements.get('docrepo-search') !== undefined")
        results = Axe().run(page)
        return [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
