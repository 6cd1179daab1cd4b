"""Debian's chromium driven by Playwright, cut off from everything but this machine.

Each page's context refuses any request to another host, and records it, so a test can
show that a page works offline (GraphiQL and the dashboard load only the hub's files).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "var" / "test-artifacts"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def browser_missing() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    return None


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A headless chromium (skips the test, saying why, when there is none)."""
    reason = browser_missing()
    if reason is not None:
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        try:
            yield launched
        finally:
            await launched.close()


class OfflinePage:
    """A page whose requests beyond this machine fail, with what it tried and said."""

    def __init__(self, context: Any, page: Any) -> None:
        self.context = context
        self.page = page
        self.blocked: list[str] = []
        self.problems: list[str] = []

    async def refuse_the_outside(self, route: Any) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith("data:") or host in LOCAL_HOSTS:
            await route.continue_()
        else:
            self.blocked.append(url)
            await route.abort("internetdisconnected")


@asynccontextmanager
async def offline_page(browser: Any, **options: Any) -> AsyncIterator[OfflinePage]:
    """A new page in its own context that reaches only this machine."""
    context = await browser.new_context(**options)
    page = await context.new_page()
    offline = OfflinePage(context, page)
    await context.route("**/*", offline.refuse_the_outside)
    page.on("console", lambda m: offline.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: offline.problems.append(str(e)))
    try:
        yield offline
    finally:
        await context.close()
