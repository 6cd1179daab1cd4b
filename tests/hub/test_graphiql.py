"""GraphiQL from the hub's own files: the page, the vendored assets, and a real browser
running the demo's first example query with the demo token, with the internet cut off."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import pytest_asyncio

from hub.app import create_app
from hub.demo import EXAMPLE_QUERIES
from hub.demo_access import DemoAccess, demo_access
from hub.graphiql import ASSETS, ASSETS_PATH, default_query, graphiql_html
from hub.settings import load_settings
from tests.hub.browser import ARTIFACTS, chromium, offline_page
from tests.hub.conftest import private_database
from tests.support.live import live_networks
from tests.support.serving import served

pytestmark = pytest.mark.asyncio(loop_scope="module")

# What PROVENANCE.md records: upgrading the bundles means updating both.
VENDORED = {
    "graphiql.min.js": "22faab94067b695e5f7959619fbe686ebcc8955002a0c97d986bcbba4ad4bc2c",
    "graphiql.min.css": "b1868247f8e0502cd869e581f5f3cb55b334862e7f51b1d6cbace11059b9adc2",
    "react.production.min.js": "4b4969fa4ef3594324da2c6d78ce8766fbbc2fd121fff395aedf997db0a99a06",
    "react-dom.production.min.js": (
        "21758ed084cd0e37e735722ee4f3957ea960628a29dfa6c3ce1a1d47a2d6e4f7"
    ),
}


async def test_vendored_files_are_the_ones_provenance_names() -> None:
    provenance = (ASSETS / "PROVENANCE.md").read_text()
    for name, digest in VENDORED.items():
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name
        assert digest in provenance, name


async def test_page_loads_only_the_hubs_own_files() -> None:
    page = graphiql_html()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(s.startswith(f"{ASSETS_PATH}/") or s == "data:," for s in sources), sources
    assert "<script>" not in page  # nothing inline: the policy allows only 'self'
    assert "script-src 'self'" in page
    for src in sources:
        if src.startswith(ASSETS_PATH):
            assert (ASSETS / src.removeprefix(f"{ASSETS_PATH}/")).is_file(), src
    # The editor opens on the demo's first example query.
    assert EXAMPLE_QUERIES[0][1] in default_query()


async def test_graphql_get_from_a_browser_is_the_page_and_its_assets_are_served() -> None:
    settings = replace(private_database(load_settings({})), environment="development")
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub"
    ) as hub:
        page = await hub.get("/graphql", headers={"Accept": "text/html"})
        script = await hub.get(f"{ASSETS_PATH}/graphiql.min.js")
        start = await hub.get(f"{ASSETS_PATH}/graphiql-start.js")
        missing = await hub.get(f"{ASSETS_PATH}/../../hub/settings.py")
    assert page.status_code == 200
    assert "unpkg.com" not in page.text
    assert "cdn" not in page.text.lower()
    assert f'src="{ASSETS_PATH}/graphiql.min.js"' in page.text
    assert script.status_code == 200
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert start.status_code == 200
    assert missing.status_code == 404


async def test_production_serves_no_graphiql_assets() -> None:
    settings = replace(private_database(load_settings({})), environment="production")
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub"
    ) as hub:
        script = await hub.get(f"{ASSETS_PATH}/graphiql.min.js")
    assert script.status_code == 404


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo_hub(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[str, DemoAccess]]:
    """A hub set up as ``hub demo`` sets it up, over live networks: its URL and access."""
    async with live_networks(tmp_path_factory.mktemp("networks"), products=120) as networks:
        settings = replace(
            private_database(load_settings({})).with_network_urls(networks.urls),
            environment="development",
            graphiql=True,
            auth_required=False,
        )
        access = await demo_access(settings)
        async with served(create_app(settings)) as url:
            yield url, access


@pytest_asyncio.fixture(loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async with chromium() as launched:
        yield launched


async def result_text(page: Any) -> str:
    text: str = await page.locator(".graphiql-container .result-window").inner_text()
    return text


async def test_graphiql_runs_the_first_example_with_the_demo_token_offline(
    demo_hub: tuple[str, DemoAccess], browser: Any
) -> None:
    url, access = demo_hub
    async with offline_page(browser, viewport={"width": 1400, "height": 1000}) as offline:
        page = offline.page
        await page.goto(access.graphiql_url(url))
        button = page.locator(".graphiql-execute-button")
        await button.wait_for(timeout=30_000)
        # The demo token is in the headers editor, as the demo's URL says.
        headers = await page.locator(".graphiql-editor-tool").inner_text()
        assert "Authorization" in headers
        assert "search" in await page.locator(".graphiql-query-editor").inner_text()
        await button.click()
        await page.wait_for_function(
            "() => (document.querySelector('.result-window') || {}).innerText"
            "?.includes('\"edges\"')",
            timeout=30_000,
        )
        result = await result_text(page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "graphiql.png"))
        assert '"search"' in result
        assert '"name"' in result
        assert '"errors"' not in result
        assert offline.blocked == []
        assert offline.problems == []


async def test_graphiql_sends_the_token_it_was_given(
    demo_hub: tuple[str, DemoAccess], browser: Any
) -> None:
    """A query that needs a token answers with the demo's, and is refused without one."""
    url, access = demo_hub
    query = quote("{ orders(first: 1) { edges { node { id } } } }")
    async with offline_page(browser) as offline:
        page = offline.page
        await page.goto(f"{access.graphiql_url(url)}&query={query}")
        await page.locator(".graphiql-execute-button").click(timeout=30_000)
        await page.wait_for_function(
            "() => (document.querySelector('.result-window') || {}).innerText?.includes('orders')",
            timeout=30_000,
        )
        assert "UNAUTHENTICATED" not in await result_text(page)
        await page.goto(f"{url}/graphql?query={query}")
        await page.locator(".graphiql-execute-button").click(timeout=30_000)
        await page.wait_for_function(
            "() => (document.querySelector('.result-window') || {}).innerText"
            "?.includes('UNAUTHENTICATED')",
            timeout=30_000,
        )
        assert offline.blocked == []
