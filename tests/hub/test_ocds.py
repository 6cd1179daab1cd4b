"""``GET /ocds/releases``: a BUMN's OCDS releases in bulk, paged, for its own token only.

A hub over the three live networks with auth required; BUMN clients publish RFQs through
the graph and a PaDi supplier's client quotes, so there are tender, award and contract
releases to publish. Pages are checked against the official release package schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import orjson
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from hub.app import create_app
from hub.auth.service import AuthService
from hub.settings import load_settings
from resolvers.ids import from_global_id, to_global_id
from tests.federation.procurement.test_ocds import errors as ocds_errors
from tests.hub.conftest import private_database
from tests.support.live import live_networks

pytestmark = pytest.mark.asyncio(loop_scope="module")

FARMASI, KAI = "BUMN-FARMASI", "BUMN-KAI"
KERIPIK = "10794"
SCOPES = "procurement:read procurement:write"
PUBLISH = """mutation($input: PublishRfqInput!) { publishRfq(input: $input) {
  id invitations { nib network { code } } } }"""
QUOTE = "mutation($input: SubmitQuoteInput!) { submitQuote(input: $input) { id } }"
AWARD = "mutation($rfq: ID!, $quote: ID!) { awardRfq(rfqId: $rfq, quoteId: $quote) { id } }"
OCDS = "query($id: ID!) { rfq(id: $id) { ocds { ocid releasePackage } } }"


@dataclass(frozen=True)
class Hub:
    client: httpx.AsyncClient
    tokens: dict[str, str]  # by BUMN id, and "supplier"
    rfqs: tuple[str, ...]  # FARMASI's: one awarded on PaDi, one open
    since: str  # before any of them
    app: Starlette


async def register(client: httpx.AsyncClient, auth: AuthService, organization: str) -> str:
    new = await auth.store.create(organization, SCOPES, "ocds test")
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(new.record.client_id, new.secret),
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def graphql(hub: httpx.AsyncClient, token: str, query: str, **variables: Any) -> Any:
    response = await hub.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def rfq_input(title: str) -> dict[str, Any]:
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    item = {"description": "Keripik singkong, 250 g", "kbli": KERIPIK, "quantity": 10}
    return {
        "title": title,
        "items": [{**item, "unit": "pak"}],
        "deliveryRegionCode": "32.73",
        "deadline": deadline.isoformat(),
    }


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hub(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hub]:
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()
    async with live_networks(tmp_path_factory.mktemp("networks"), products=120) as networks:
        settings = replace(
            private_database(load_settings({})).with_network_urls(networks.urls),
            auth_required=True,
        )
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://hub", timeout=30) as client,
        ):
            auth: AuthService = app.state.auth
            tokens = {
                bumn: await register(client, auth, to_global_id("BUMN", bumn))
                for bumn in (FARMASI, KAI)
            }
            farmasi = tokens[FARMASI]
            awarded = (await graphql(client, farmasi, PUBLISH, input=rfq_input("Keripik")))[
                "publishRfq"
            ]
            nib = next(i["nib"] for i in awarded["invitations"] if i["network"]["code"] == "padi")
            tokens["supplier"] = await register(client, auth, to_global_id("Supplier", nib))
            quote_in = {
                "rfqId": awarded["id"],
                "network": "padi",
                "lines": [{"position": 0, "unitPrice": 9_500}],
                "deliveryDays": 5,
            }
            quote = await graphql(client, tokens["supplier"], QUOTE, input=quote_in)
            await graphql(
                client, farmasi, AWARD, rfq=awarded["id"], quote=quote["submitQuote"]["id"]
            )
            opened = await graphql(client, farmasi, PUBLISH, input=rfq_input("Kopi"))
            await graphql(client, tokens[KAI], PUBLISH, input=rfq_input("Keripik KAI"))
            rfqs = (awarded["id"], opened["publishRfq"]["id"])
            yield Hub(client, tokens, rfqs, since, app)


def bulk(hub: Hub, **params: str) -> dict[str, str]:
    return {"since": hub.since, "buyer": to_global_id("BUMN", FARMASI), **params}


async def get(hub: Hub, url: str, token: str | None, params: dict[str, str] | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await hub.client.get(url, params=params, headers=headers)


async def test_a_bumn_pages_through_all_its_releases_since_a_date(hub: Hub) -> None:
    token = hub.tokens[FARMASI]
    whole = await get(hub, "/ocds/releases", token, bulk(hub))
    assert whole.status_code == 200
    package = whole.json()
    assert ocds_errors(package) == []
    assert "links" not in package  # all of it fits one page
    releases = package["releases"]
    # Its own processes only (KAI published one too): tender, award and contract of the
    # awarded RFQ, the other's tender.
    assert sorted(r["tag"][-1] for r in releases) == ["award", "contract", "tender", "tender"]
    assert {r["ocid"].rsplit("-", 1)[1] for r in releases} == {rfq_native(rfq) for rfq in hub.rfqs}
    assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)

    pages, url, params = [], "/ocds/releases", bulk(hub, limit="1")
    for _ in range(2 * len(releases)):  # a next link that does not move on fails, not loops
        page = await get(hub, url, token, params)
        assert page.status_code == 200
        assert ocds_errors(page.json()) == []
        pages.append(page.json())
        if "links" not in page.json():
            break
        url, params = page.json()["links"]["next"], None
    assert [len(p["releases"]) for p in pages] == [1] * len(releases)
    assert [p["releases"][0] for p in pages] == releases

    # The same releases, byte for byte, as the RFQ's own export in the graph.
    for rfq in hub.rfqs:
        graph = (await graphql(hub.client, token, OCDS, id=rfq))["rfq"]["ocds"]
        mine = [r for r in releases if r["ocid"] == graph["ocid"]]
        assert [orjson.dumps(r) for r in mine] == [
            orjson.dumps(r) for r in graph["releasePackage"]["releases"]
        ]


async def test_since_is_inclusive_to_the_second(hub: Hub) -> None:
    token = hub.tokens[FARMASI]
    every = (await get(hub, "/ocds/releases", token, bulk(hub))).json()["releases"]
    newest = every[-1]["date"]
    later = (await get(hub, "/ocds/releases", token, bulk(hub, since=newest))).json()
    # A consumer polling from the newest date it holds gets that second again, not less.
    assert later["releases"] == [r for r in every if r["date"] >= newest]
    assert later["releases"][-1] == every[-1]


@pytest.mark.parametrize(
    ("who", "params", "status", "code"),
    [
        (None, {}, 401, "UNAUTHENTICATED"),
        ("not-a-token", {}, 401, "UNAUTHENTICATED"),
        (FARMASI, {"since": ""}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"since": "last tuesday"}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"since": "2999-01-01"}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"buyer": "BUMN-FARMASI"}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"buyer": to_global_id("Supplier", "1234567890123")}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"buyer": to_global_id("BUMN", KAI)}, 403, "FORBIDDEN"),
        (FARMASI, {"buyer": to_global_id("BUMN", "BUMN-NOWHERE")}, 403, "FORBIDDEN"),
        ("supplier", {}, 403, "FORBIDDEN"),
        (FARMASI, {"limit": "0"}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"limit": "101"}, 400, "BAD_USER_INPUT"),
        (FARMASI, {"after": "bm90IGEgY3Vyc29y"}, 400, "BAD_USER_INPUT"),
    ],
)
async def test_bad_requests_are_refused_with_a_code_and_change_nothing(
    hub: Hub, who: str | None, params: dict[str, str], status: int, code: str
) -> None:
    token = hub.tokens[FARMASI]
    before = (await get(hub, "/ocds/releases", token, bulk(hub))).content
    answer = await get(hub, "/ocds/releases", hub.tokens.get(who or "", who), bulk(hub, **params))
    assert answer.status_code == status
    (error,) = answer.json()["errors"]
    assert error["extensions"] == {"code": code}
    assert error["message"]
    assert (await get(hub, "/ocds/releases", token, bulk(hub))).content == before


def rfq_native(global_id: str) -> str:
    return from_global_id(global_id)[1][0]


async def test_bulk_requests_spend_the_callers_rate_limit(hub: Hub) -> None:
    # The bulk route passes the request pipeline, as GraphQL operations do: a caller
    # whose bucket is empty is refused before anything is read.
    token = await register(hub.client, hub.app.state.auth, to_global_id("BUMN", FARMASI))
    pipeline = hub.app.state.pipeline
    caller = await pipeline.authenticate(f"Bearer {token}", "127.0.0.1")
    await pipeline.rate_limiter.take(caller.key, pipeline.rate_limiter.local.burst)
    answer = await get(hub, "/ocds/releases", token, bulk(hub))
    assert answer.status_code == 429
    assert answer.headers["retry-after"]
    assert answer.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}
