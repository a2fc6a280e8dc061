"""What the browser tests share: Debian's Chromium driven by Playwright, axe-core."""

from __future__ import annotations

import shutil
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
