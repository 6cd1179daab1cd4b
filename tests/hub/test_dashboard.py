"""/dashboard in a real browser: a BUMN's spend charts and open RFQs from the public graph.

A hub served by uvicorn over the three live networks, with auth required. A BUMN (its
own OAuth client) publishes two RFQs and awards one to a PaDi supplier (which quotes with
its own client), so it has open RFQs and spend. Debian's chromium, driven by Playwright,
opens the dashboard with the BUMN's token; the bars it draws must carry the figures the
graph answers. The screenshot is kept in ``var/test-artifacts/``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from hub.app import create_app
from hub.auth.service import AuthService
from hub.dashboard.page import POLICY
from hub.server import bind, serve
from hub.settings import load_settings
from resolvers.ids import to_global_id
from tests.hub.conftest import private_database
from tests.support.live import live_networks

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "var" / "test-artifacts"
BUMN_ID = "BUMN-KAI"
KERIPIK = "10794"
MONTHS = 12
SCOPES = "procurement:read procurement:write analytics:read"

PUBLISH = """mutation($input: PublishRfqInput!) { publishRfq(input: $input) {
  id invitations { nib network { code } } } }"""
QUOTE = "mutation($input: SubmitQuoteInput!) { submitQuote(input: $input) { id } }"
AWARD = """mutation($rfq: ID!, $quote: ID!) { awardRfq(rfqId: $rfq, quoteId: $quote) {
  status purchaseOrders { orderId } } }"""
SPEND = """query($f: SpendFilter!) { spend(filter: $f) {
  total { amount } umkmTotal { amount } groups { key total { amount } umkmTotal { amount } } } }"""


@dataclass(frozen=True)
class DashboardHub:
    url: str
    token: str  # the BUMN's
    open_rfq: str  # its title


async def register(auth: AuthService, base: str, organization: str) -> str:
    """A new client of ``organization`` and an access token from /oauth/token."""
    new = await auth.store.create(organization, SCOPES, "dashboard test")
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(new.record.client_id, new.secret),
        )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def graphql(base: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def rfq_input(title: str) -> dict[str, Any]:
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    return {
        "title": title,
        "items": [
            {
                "description": "Keripik singkong, 250 g",
                "kbli": KERIPIK,
                "quantity": 10,
                "unit": "pak",
            }
        ],
        "deliveryRegionCode": "32.73",
        "deadline": deadline.isoformat(),
    }


def period() -> dict[str, str]:
    """The dashboard's period: the last twelve months, this one included."""
    today = dt.date.today()
    start = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return {"from": f"{start // 12:04d}-{start % 12 + 1:02d}", "to": today.strftime("%Y-%m")}


@asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """``app`` served by uvicorn (as ``hub serve`` does) on a free port: its base URL."""
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()

    async def until_stopped() -> str:
        await stop.wait()
        return "test finished"

    with bind("127.0.0.1", 0) as sock:
        task = asyncio.create_task(serve(app, sock, on_ready=ready.set_result, watch=until_stopped))
        either: list[asyncio.Future[Any]] = [ready, task]
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
        try:
            yield ready.result()
        finally:
            stop.set()
            await task


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def dashboard_hub(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DashboardHub]:
    async with live_networks(tmp_path_factory.mktemp("networks"), products=120) as networks:
        settings = replace(
            private_database(load_settings({})).with_network_urls(networks.urls),
            auth_required=True,
        )
        app = create_app(settings)
        async with serving(app) as url:
            auth: AuthService = app.state.auth
            token = await register(auth, url, to_global_id("BUMN", BUMN_ID))
            awarded = await graphql(url, token, PUBLISH, {"input": rfq_input("Keripik rapat")})
            rfq = awarded["publishRfq"]
            nib = next(i["nib"] for i in rfq["invitations"] if i["network"]["code"] == "padi")
            supplier = await register(auth, url, to_global_id("Supplier", nib))
            quote_in = {
                "rfqId": rfq["id"],
                "network": "padi",
                "lines": [{"position": 0, "unitPrice": 9_500}],
                "deliveryDays": 5,
            }
            quote = (await graphql(url, supplier, QUOTE, {"input": quote_in}))["submitQuote"]
            award = await graphql(url, token, AWARD, {"rfq": rfq["id"], "quote": quote["id"]})
            assert award["awardRfq"]["status"] == "ISSUED"
            title = "Keripik untuk mudik"
            await graphql(url, token, PUBLISH, {"input": rfq_input(title)})
            yield DashboardHub(url, token, title)


async def test_dashboard_is_served_with_a_strict_content_security_policy(
    dashboard_hub: DashboardHub,
) -> None:
    async with httpx.AsyncClient(base_url=dashboard_hub.url) as client:
        page = await client.get("/dashboard")
        script = await client.get("/dashboard/dashboard.js")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == POLICY
    assert "script-src 'self'" in POLICY
    assert '<script src="/dashboard/dashboard.js"' in page.text
    assert script.headers["content-type"].startswith("text/javascript")


def browser_missing() -> str | None:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    return None


@pytest_asyncio.fixture(loop_scope="module")
async def browser() -> AsyncIterator[Any]:
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


async def bars(page: Any, chart: str) -> tuple[dict[str, int], dict[str, int]]:
    """The amounts a chart's bars carry, by key: whole spend, and UMKM part."""
    found: list[dict[str, Any]] = await page.eval_on_selector_all(
        f"#chart-{chart} rect.bar",
        "rects => rects.map(r => ({key: r.dataset.key, amount: Number(r.dataset.amount),"
        " umkm: r.classList.contains('umkm'), width: Number(r.getAttribute('width'))}))",
    )
    assert all(b["width"] >= 0 for b in found)
    totals = {b["key"]: b["amount"] for b in found if not b["umkm"]}
    umkm = {b["key"]: b["amount"] for b in found if b["umkm"]}
    return totals, umkm


async def test_dashboard_draws_the_bumns_spend_and_open_rfqs_in_a_browser(
    dashboard_hub: DashboardHub, browser: Any
) -> None:
    page = await browser.new_page(viewport={"width": 1100, "height": 1600})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    await page.goto(f"{dashboard_hub.url}/dashboard#token={dashboard_hub.token}")
    await page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    assert problems == []
    assert await page.locator("#token-form").is_hidden()
    # The token left the address bar once read.
    assert "token" not in page.url
    for chart, group in (("month", "MONTH"), ("region", "REGION"), ("scale", "SCALE")):
        f = {"period": period(), "groupBy": group}
        report = (await graphql(dashboard_hub.url, dashboard_hub.token, SPEND, {"f": f}))["spend"]
        assert report["groups"], chart
        totals, umkm = await bars(page, chart)
        assert totals == {g["key"]: g["total"]["amount"] for g in report["groups"]}, chart
        assert umkm == {g["key"]: g["umkmTotal"]["amount"] for g in report["groups"]}, chart
        assert any(amount > 0 for amount in totals.values()), chart
    _, scale_umkm = await bars(page, "scale")
    assert scale_umkm  # the scale chart shows what went to UMKM
    rows = await page.locator("#rfqs tbody tr").all_inner_texts()
    assert any(dashboard_hub.open_rfq in row for row in rows), rows
    assert not any("Keripik rapat" in row for row in rows)  # awarded, no longer open
    share = await page.locator("#umkm-share").inner_text()
    assert share.endswith("%")
    await page.close()


async def test_dashboard_with_a_bad_token_says_unauthenticated(
    dashboard_hub: DashboardHub, browser: Any
) -> None:
    page = await browser.new_page()
    await page.goto(f"{dashboard_hub.url}/dashboard#token=not-a-token")
    await page.wait_for_selector("body[data-state=error]", timeout=30_000)
    status = await page.locator("#status").inner_text()
    assert status.startswith("UNAUTHENTICATED")
    assert await page.locator("#content").is_hidden()
    await page.close()
