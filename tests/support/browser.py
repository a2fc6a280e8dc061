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


#: the widths the interface is checked at: a desktop, a phone, the narrowest phone
DESKTOP, PHONE, NARROW = 1280, 390, 320


def viewport(width: int) -> dict[str, int]:
    """A screen of that width, as tall as a common screen of its kind."""
    return {"width": width, "height": 900 if width > 800 else 844}


def axe_violations(
    browser: Any, url: str, width: int = DESKTOP, headers: dict[str, str] | None = None
) -> list[str]:
    """axe-core's violations on a page (its script is injected past the page's CSP), asked
    with these headers (an identity, say)."""
    from axe_playwright_python.sync_playwright import Axe

    with recording_page(
        browser,
        bypass_csp=True,
        locale="fr-FR",
        viewport=viewport(width),
        extra_http_headers=headers or {},
    ) as page:
        page.goto(url)
        if "docrepo-search" in page.content():
            page.wait_for_function("customElements.get('docrepo-search') !== undefined")
        results = Axe().run(page)
        return [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]


#: what a pointer aims at: controls, and links that stand alone (not inside a sentence)
TARGETS = (
    "input:not([type=hidden]), button, select, summary, .chip, .reset, .pagination a, "
    ".filters-jump, .to-results, .lang-switch, .brand, .site-footer a, .back a, .hit h3 a"
)


def small_targets(page: Any, minimum: int = 24) -> list[str]:
    """The visible targets smaller than `minimum` CSS pixels either way (WCAG 2.2, 2.5.8)."""
    found: list[str] = page.evaluate(
        """([selector, minimum]) => [...document.querySelectorAll(selector)]
            .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width < minimum || r.height < minimum)
            .map(([e, r]) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim()
                .slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        [TARGETS, minimum],
    )
    return found


def overflow(page: Any) -> list[str]:
    """What sticks out of the viewport sideways (nothing should, down to 320 px)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getClientRects().length)
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest("pre, .table-scroll, .doc-body table"))
            .map(e => `${e.tagName.toLowerCase()}.${e.className}`)
            .slice(0, 10)"""
    )
    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        found.append("the page scrolls sideways")
    return found
