"""/dashboard in a real browser: a BUMN's spend charts and open RFQs from the public graph.

A hub served by uvicorn over the three live networks, with auth required. A BUMN (its
own OAuth client) publishes two RFQs and awards one to a PaDi supplier (which quotes with
its own client), so it has open RFQs and spend. Debian's chromium, driven by Playwright,
opens the dashboard with the BUMN's token; the bars it draws must carry the figures the
graph answers. The period can be chosen (this year, the last twelve months, a range of months); a bad
range is the hub's BAD_USER_INPUT and leaves the charts as they were. The browser reaches
nothing but this machine. The screenshot is kept in ``var/test-artifacts/``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
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
from networks.common.clock import months_up_to
from resolvers.ids import to_global_id
from tests.hub.browser import ARTIFACTS, chromium, offline_page
from tests.hub.conftest import private_database
from tests.support.live import live_networks

pytestmark = pytest.mark.asyncio(loop_scope="module")

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
    """The dashboard's period on first open: the last twelve months, this one included
    (the networks' seeded history runs up to this month by the same rule)."""
    months = months_up_to(dt.date.today(), MONTHS)
    return {"from": months[0], "to": months[-1]}


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


@pytest_asyncio.fixture(loop_scope="module")
async def browser() -> AsyncIterator[Any]:
    async with chromium() as launched:
        yield launched


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
    async with offline_page(browser, viewport={"width": 1100, "height": 1600}) as offline:
        await draws_the_spend_and_open_rfqs(dashboard_hub, offline.page)
        assert offline.problems == []
        assert offline.blocked == []


async def draws_the_spend_and_open_rfqs(dashboard_hub: DashboardHub, page: Any) -> None:
    await page.goto(f"{dashboard_hub.url}/dashboard#token={dashboard_hub.token}")
    await page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    assert await page.locator("#token-form").is_hidden()
    shown = period()
    assert await page.locator("#period").inner_text() == f"{shown['from']} – {shown['to']}"
    assert await page.locator("#period-kind").input_value() == "last12"
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
    assert await page.locator("#total").inner_text() != "Rp\xa00"


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


async def month_keys(page: Any) -> list[str]:
    totals, _ = await bars(page, "month")
    return list(totals)


async def choose(page: Any, kind: str, start: str = "", end: str = "") -> None:
    """Pick a period and press Show; waits until the dashboard has answered."""
    await page.evaluate("document.body.dataset.state = 'choosing'")
    await page.select_option("#period-kind", kind)
    if kind == "custom":
        await page.fill("#period-from", start)
        await page.fill("#period-to", end)
    await page.click("#period-show")
    await page.wait_for_selector("body[data-state=ready], body[data-state=error]")


async def test_dashboard_period_choice_and_bad_ranges(
    dashboard_hub: DashboardHub, browser: Any
) -> None:
    async with offline_page(browser, viewport={"width": 1100, "height": 1600}) as offline:
        page = offline.page
        await page.goto(f"{dashboard_hub.url}/dashboard#token={dashboard_hub.token}")
        await page.wait_for_selector("body[data-state=ready]", timeout=30_000)
        assert await month_keys(page) == list(months_up_to(dt.date.today(), MONTHS))

        await choose(page, "year")
        this_year = months_up_to(dt.date.today(), dt.date.today().month)
        assert await page.get_attribute("body", "data-state") == "ready"
        assert await month_keys(page) == list(this_year)

        last_year = dt.date.today().year - 1
        await choose(page, "custom", f"{last_year}-03", f"{last_year}-08")
        assert await page.get_attribute("body", "data-state") == "ready"
        chosen = [f"{last_year}-{m:02d}" for m in range(3, 9)]
        assert await month_keys(page) == chosen
        assert await page.locator("#period").inner_text() == f"{chosen[0]} – {chosen[-1]}"
        before = await bars(page, "month"), await page.locator("#total").inner_text()

        for start, end, words in [
            (f"{last_year}-08", f"{last_year}-03", "backwards"),
            (f"{last_year - 3}-01", f"{last_year}-12", "months"),  # 48 months
            ("", f"{last_year}-12", "both months"),
        ]:
            await choose(page, "custom", start, end)
            status = await page.locator("#status").inner_text()
            assert await page.get_attribute("body", "data-state") == "error"
            assert status.startswith("BAD_USER_INPUT"), status
            assert words in status, status
            # Nothing changed: the figures shown are still the last good period's.
            assert (await bars(page, "month"), await page.locator("#total").inner_text()) == before
            assert await page.locator("#content").is_visible()
        assert offline.blocked == []
