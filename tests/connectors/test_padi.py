"""PadiConnector against the real PaDi reference network, in process and over real HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from joserfc.jwk import RSAKey
from starlette.applications import Starlette

from connectors.errors import (
    NetworkProtocolError,
    NetworkRateLimited,
    NetworkRejected,
    NetworkTimeout,
    NetworkUnavailable,
)
from connectors.http import JsonClient
from connectors.padi import PadiConnector
from connectors.padi.auth import TokenCache
from connectors.padi.paging import pages_for
from connectors.records import (
    CertificationKind,
    CooperativeQuery,
    Page,
    ProductQuery,
    Scale,
    SupplierQuery,
)
from connectors.registry import ConnectorConfig, build_connector
from networks.padi.app import create_app
from networks.padi.settings import PadiSettings
from networks.testing import on_free_port

T = TypeVar("T")
Q = TypeVar("Q")

CREDENTIALS = {"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"}
ADMIN = {"Authorization": "Bearer admin-dev-token"}
FILTER_TYPES = {
    "searchProducts": "ProductFilter",
    "umkms": "UmkmFilter",
    "cooperatives": "CooperativeFilter",
}
PRODUCT_FIELDS = "id umkmId name category unit price stock minOrder description regionCode"
UMKM_FIELDS = "id nib name kbli kbliCodes scale certifications { type number } regionCode verified"
COOPERATIVE_FIELDS = "id name type regionCode memberCount"


class PadiNetwork:
    """A running PaDi seen from the side: its own answers, faults and request counts."""

    def __init__(self, app: Starlette, http: httpx.AsyncClient) -> None:
        self.app = app
        self.http = http
        self._token: str | None = None

    def connector(self, base_url: str = "http://network", **config: Any) -> PadiConnector:
        """A connector to this network (in process unless ``base_url`` says otherwise)."""
        transport = httpx.ASGITransport(app=self.app) if base_url == "http://network" else None
        config.setdefault("credentials", CREDENTIALS)
        return PadiConnector(
            ConnectorConfig(code="padi", kind="padi", base_url=base_url, **config),
            transport=transport,
        )

    async def gql(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        if self._token is None:
            answer = await self.http.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(CREDENTIALS["client_id"], CREDENTIALS["client_secret"]),
            )
            self._token = answer.json()["access_token"]
        response = await self.http.post(
            "/graphql",
            json={"query": document, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self._token}"},
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def everything(self, field: str, fields: str, native_filter: dict[str, Any]) -> list:
        """Every item PaDi itself returns for ``native_filter``, page by page."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            document = (
                f"query($f: {FILTER_TYPES[field]}) {{ r: {field}(filter: $f, page: {page}, "
                f"size: 100) {{ totalPages items {{ {fields} }} }} }}"
            )
            result = (await self.gql(document, {"f": native_filter}))["r"]
            items.extend(result["items"])
            if page >= result["totalPages"]:
                return items
            page += 1

    async def faults(self, **change: Any) -> None:
        response = await self.http.put("/admin/faults", json=change, headers=ADMIN)
        assert response.status_code == 200, response.text

    async def requests(self) -> dict[str, int]:
        response = await self.http.get("/admin/requests", headers=ADMIN)
        by_route: dict[str, int] = response.json()["by_route"]
        return by_route

    async def reset_requests(self) -> None:
        await self.http.delete("/admin/requests", headers=ADMIN)


Launch = Callable[..., AbstractAsyncContextManager[PadiNetwork]]


@pytest.fixture
def padi_launch(tmp_path: Path) -> Launch:
    """Start PaDi with settings overrides: ``async with padi_launch(**overrides) as net``."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[PadiNetwork]:
        app = create_app(PadiSettings(data_dir=tmp_path, products=150, **overrides))
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://network") as http,
        ):
            yield PadiNetwork(app, http)

    return start


@pytest.fixture
async def padi_network(padi_launch: Launch) -> AsyncIterator[PadiNetwork]:
    async with padi_launch() as network:
        yield network


@pytest.fixture
async def padi(padi_network: PadiNetwork) -> AsyncIterator[PadiConnector]:
    connector = padi_network.connector()
    yield connector
    await connector.aclose()


Search = Callable[[Q, str | None, int], Awaitable[Page[T]]]


async def walk(search: Search[Q, T], query: Q, limit: int = 100) -> list[T]:
    """Every item of a connector search, resuming after the last item of each page."""
    items: list[T] = []
    after = None
    while True:
        page = await search(query, after, limit)
        items.extend(page.items)
        if not page.has_more:
            return items
        assert page.items, "has_more with an empty page would never end"
        after = page.positions[-1]


# --- searches: every pushed-down filter gives what PaDi itself gives ----------------


PRODUCT_CASES: dict[str, Callable[[dict[str, Any]], tuple[ProductQuery, dict[str, Any]]]] = {
    # Names only at PaDi: the hub matches a product's text itself.
    "text_left_to_the_hub": lambda p: (ProductQuery(text=p["name"].split()[0]), {}),
    "category": lambda p: (ProductQuery(category=p["category"]), {"category": p["category"]}),
    "price": lambda p: (
        ProductQuery(min_price=p["price"], max_price=2 * p["price"]),
        {"minPrice": p["price"], "maxPrice": 2 * p["price"]},
    ),
    "in_stock": lambda p: (ProductQuery(in_stock=True), {"inStock": True}),
    "out_of_stock": lambda p: (ProductQuery(in_stock=False), {"inStock": False}),
    "supplier": lambda p: (ProductQuery(supplier_id=p["umkmId"]), {"umkmId": p["umkmId"]}),
    "full_region": lambda p: (
        ProductQuery(region_code=p["regionCode"]),
        {"regionCode": p["regionCode"]},
    ),
    "region_prefix_left_to_the_hub": lambda p: (ProductQuery(region_code="32"), {}),
}


@pytest.mark.parametrize("case", PRODUCT_CASES)
async def test_product_search_matches_the_network(
    padi: PadiConnector, padi_network: PadiNetwork, case: str
) -> None:
    everything = await padi_network.everything("searchProducts", PRODUCT_FIELDS, {})
    sample = next(p for p in everything if p["stock"] > 0)
    query, native_filter = PRODUCT_CASES[case](sample)
    expected = await padi_network.everything("searchProducts", PRODUCT_FIELDS, native_filter)
    found = await walk(padi.search_products, query)
    assert [p.id for p in found] == [p["id"] for p in expected]
    assert found or case == "out_of_stock"


async def test_product_records_are_canonical(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    native = (await padi_network.everything("searchProducts", PRODUCT_FIELDS, {}))[0]
    record = (await padi.search_products(ProductQuery(), None, 1)).items[0]
    assert record.network == "padi"
    assert (record.id, record.supplier_id, record.category) == (
        native["id"],
        native["umkmId"],
        native["category"],
    )
    assert (record.price, record.stock, record.min_order) == (
        native["price"],
        native["stock"],
        native["minOrder"],
    )
    assert isinstance(record.price, int)
    assert (record.unit, record.region_code, record.description, record.tiers) == (
        native["unit"],
        native["regionCode"],
        native["description"],
        (),
    )


SUPPLIER_CASES: dict[str, Callable[[dict[str, Any]], tuple[SupplierQuery, dict[str, Any]]]] = {
    "text": lambda u: (SupplierQuery(text=f" {u['name'][:5]} "), {"text": u["name"][:5]}),
    "kbli": lambda u: (SupplierQuery(kbli=u["kbli"]), {"kbli": u["kbli"]}),
    "kbli_prefix_left_to_the_hub": lambda u: (SupplierQuery(kbli=u["kbli"][:3]), {}),
    "scale": lambda u: (SupplierQuery(scale=Scale(u["scale"].lower())), {"scale": u["scale"]}),
    "certifications": lambda u: (
        SupplierQuery(certifications=(CertificationKind(u["certifications"][0]["type"].lower()),)),
        {"certifications": [u["certifications"][0]["type"]]},
    ),
    "verified_only": lambda u: (SupplierQuery(verified_only=True), {"verifiedOnly": True}),
    "full_regions": lambda u: (
        SupplierQuery(region_codes=(u["regionCode"], "36.71")),
        {"regionCodes": [u["regionCode"], "36.71"]},
    ),
    "region_prefix_left_to_the_hub": lambda u: (SupplierQuery(region_codes=("32",)), {}),
}


@pytest.mark.parametrize("case", SUPPLIER_CASES)
async def test_supplier_search_matches_the_network(
    padi: PadiConnector, padi_network: PadiNetwork, case: str
) -> None:
    everyone = await padi_network.everything("umkms", UMKM_FIELDS, {})
    sample = next(u for u in everyone if u["certifications"])
    query, native_filter = SUPPLIER_CASES[case](sample)
    expected = await padi_network.everything("umkms", UMKM_FIELDS, native_filter)
    found = await walk(padi.search_suppliers, query, limit=6)
    assert [s.id for s in found] == [u["id"] for u in expected]
    assert found


async def test_supplier_records_are_canonical(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    everyone = await padi_network.everything("umkms", UMKM_FIELDS, {})
    native = next(u for u in everyone if u["certifications"])
    record = (await padi.get_suppliers([native["id"]]))[native["id"]]
    assert (record.network, record.nib, record.name, record.region_code) == (
        "padi",
        native["nib"],
        native["name"],
        native["regionCode"],
    )
    assert record.kbli[0] == native["kbli"]
    assert set(record.kbli) == {native["kbli"], *native["kbliCodes"]}
    assert record.scale is Scale(native["scale"].lower())
    assert [(c.kind.value, c.number) for c in record.certifications] == [
        (c["type"].lower(), c["number"]) for c in native["certifications"]
    ]
    assert record.verified is native["verified"]
    assert {s.verified for s in await walk(padi.search_suppliers, SupplierQuery())} == {
        True,
        False,
    }


COOPERATIVE_CASES: dict[
    str, Callable[[dict[str, Any]], tuple[CooperativeQuery, dict[str, Any]]]
] = {
    "everything": lambda c: (CooperativeQuery(), {}),
    "text": lambda c: (CooperativeQuery(text=c["name"][-6:]), {"text": c["name"][-6:]}),
    "type": lambda c: (CooperativeQuery(type=c["type"].lower()), {"type": c["type"]}),
    "full_region": lambda c: (
        CooperativeQuery(region_code=c["regionCode"]),
        {"regionCode": c["regionCode"]},
    ),
}


@pytest.mark.parametrize("case", COOPERATIVE_CASES)
async def test_cooperative_search_matches_the_network(
    padi: PadiConnector, padi_network: PadiNetwork, case: str
) -> None:
    sample = (await padi_network.everything("cooperatives", COOPERATIVE_FIELDS, {}))[0]
    query, native_filter = COOPERATIVE_CASES[case](sample)
    expected = await padi_network.everything("cooperatives", COOPERATIVE_FIELDS, native_filter)
    found = await walk(padi.search_cooperatives, query, limit=5)
    assert [(c.id, c.name, c.type, c.region_code, c.member_count) for c in found] == [
        (c["id"], c["name"], c["type"].lower(), c["regionCode"], c["memberCount"]) for c in expected
    ]
    assert found


async def test_a_cooperative_type_padi_lacks_matches_nothing_without_a_call(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    await padi.health()
    await padi_network.reset_requests()
    page = await padi.search_cooperatives(CooperativeQuery(type="bank"), None, 10)
    assert page == Page(items=(), positions=(), has_more=False)
    assert await padi_network.requests() == {}


def test_capabilities_name_exactly_what_is_pushed_down(padi: PadiConnector) -> None:
    capabilities = padi.capabilities
    assert capabilities.product_filters == {
        "category",
        "min_price",
        "max_price",
        "in_stock",
        "supplier_id",
    }
    assert capabilities.supplier_filters == {
        "text",
        "scale",
        "certifications",
        "verified_only",
    }
    assert capabilities.cooperative_filters == {"text", "type"}
    assert capabilities.max_page_size == 100
    assert padi.code == "padi"


# --- positions: any prefix of a page can be consumed and resumed from -----------------


async def test_paging_by_prefixes_reaches_everything_exactly_once(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    expected = [p["id"] for p in await padi_network.everything("searchProducts", "id", {})]
    await padi.health()
    await padi_network.reset_requests()
    seen: list[str] = []
    after = None
    calls = 0
    while True:
        page = await padi.search_products(ProductQuery(), after, 7)
        calls += 1
        assert len(page.items) == len(page.positions) <= 7
        taken = min(len(page.items), 1 + calls % 7)  # a varying prefix: 2, 3, ... 7, 1, ...
        seen.extend(p.id for p in page.items[:taken])
        if taken == len(page.items) and not page.has_more:
            break
        after = page.positions[taken - 1]
    assert seen == expected
    assert len(set(seen)) == len(seen) == 150
    assert await padi_network.requests() == {"POST /graphql": calls}


async def test_a_window_across_two_pages_is_still_one_request(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    assert pages_for(50, 100, 100) == [(1, 100), (2, 100)]
    expected = [p["id"] for p in await padi_network.everything("searchProducts", "id", {})]
    await padi.health()
    await padi_network.reset_requests()
    page = await padi.search_products(ProductQuery(), "50", 100)
    assert [p.id for p in page.items] == expected[50:150]
    assert page.positions == tuple(str(n) for n in range(51, 151))
    assert page.has_more is False
    assert await padi_network.requests() == {"POST /graphql": 1}


@pytest.mark.parametrize(("offset", "limit"), [(0, 7), (93, 7), (95, 7), (140, 25), (0, 100)])
def test_one_page_covers_a_window_when_some_size_allows(offset: int, limit: int) -> None:
    [(page, size)] = pages_for(offset, limit, 100)
    assert limit <= size <= 100
    assert (page - 1) * size <= offset
    assert offset + limit <= page * size


async def test_a_foreign_position_is_rejected(padi: PadiConnector) -> None:
    with pytest.raises(NetworkRejected) as raised:
        await padi.search_products(ProductQuery(), "cursor:abc", 5)
    assert raised.value.status == 400


# --- batch lookups: one request each, unknown ids absent ------------------------------


async def test_batch_gets_are_one_request_and_skip_unknown_ids(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    products = await padi_network.everything("searchProducts", "id", {})
    umkms = await padi_network.everything("umkms", "id nib", {})
    cooperatives = await padi_network.everything("cooperatives", "id", {})
    await padi.health()
    lookups: list[tuple[Callable[[list[str]], Awaitable[dict[str, Any]]], list[str], set[str]]] = [
        (
            padi.get_products,
            [products[3]["id"], "PRD-nope", products[0]["id"]],
            {products[3]["id"], products[0]["id"]},
        ),
        (padi.get_suppliers, [umkms[1]["id"], "UMKM-0", umkms[1]["id"]], {umkms[1]["id"]}),
        (padi.get_cooperatives, ["KOP-x", cooperatives[2]["id"]], {cooperatives[2]["id"]}),
        (
            padi.find_suppliers_by_nib,
            [umkms[4]["nib"], "0000000000000", umkms[0]["nib"]],
            {umkms[4]["nib"], umkms[0]["nib"]},
        ),
    ]
    for lookup, keys, known in lookups:
        await padi_network.reset_requests()
        found = await lookup(keys)
        assert set(found) == known
        assert await padi_network.requests() == {"POST /graphql": 1}
    assert await padi.get_products([]) == {}


async def test_nib_lookup_keys_suppliers_by_nib(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    umkm = (await padi_network.everything("umkms", "id nib", {}))[2]
    found = await padi.find_suppliers_by_nib([umkm["nib"], "9999999999999"])
    assert list(found) == [umkm["nib"]]
    assert found[umkm["nib"]].id == umkm["id"]


async def test_more_ids_than_a_batch_takes_are_chunked(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    ids = [p["id"] for p in await padi_network.everything("searchProducts", "id", {})]
    await padi.health()
    await padi_network.reset_requests()
    found = await padi.get_products([*ids, "PRD-nope"])
    assert set(found) == set(ids)
    assert await padi_network.requests() == {"POST /graphql": 2}


# --- tokens: cached, single-flight, refreshed when refused ------------------------------


async def test_one_token_serves_fifty_concurrent_calls(padi_launch: Launch) -> None:
    # Over real HTTP: in process a token request may finish before the next call starts.
    async with padi_launch(rate_limit_burst=100) as network, on_free_port(network.app) as url:
        connector = network.connector(base_url=url)
        await asyncio.gather(
            *(connector.search_products(ProductQuery(), None, 5) for _ in range(45)),
            *(connector.health() for _ in range(5)),
        )
        assert await network.requests() == {"POST /oauth/token": 1, "POST /graphql": 50}
        await connector.aclose()


async def test_a_refused_token_is_refreshed_once_and_the_call_retried(
    padi: PadiConnector, padi_network: PadiNetwork
) -> None:
    await padi.health()
    # PaDi signs with a new key on every start: tokens from before a restart are refused.
    padi_network.app.state.tokens.key = RSAKey.generate_key(
        2048, parameters={"kid": "padi-restarted", "use": "sig", "alg": "RS256"}
    )
    await padi_network.reset_requests()
    page = await padi.search_products(ProductQuery(), None, 3)
    assert len(page.items) == 3
    assert await padi_network.requests() == {"POST /graphql": 2, "POST /oauth/token": 1}


async def test_the_token_is_renewed_shortly_before_it_expires(padi_network: PadiNetwork) -> None:
    now = [1000.0]
    http = JsonClient(
        "padi", "http://network", timeout=2, transport=httpx.ASGITransport(app=padi_network.app)
    )
    tokens = TokenCache(
        http, CREDENTIALS["client_id"], CREDENTIALS["client_secret"], lambda: now[0]
    )
    first = await tokens.token()
    now[0] += 269  # PaDi tokens live 300 s; renewal starts 30 s before
    assert await tokens.token() == first
    now[0] += 2
    assert await tokens.token() != first
    assert await padi_network.requests() == {"POST /oauth/token": 2}
    await http.aclose()


async def test_bad_credentials_are_rejected(padi_network: PadiNetwork) -> None:
    connector = padi_network.connector(
        credentials={"client_id": "koperasi-hub", "client_secret": "wrong"}
    )
    with pytest.raises(NetworkRejected) as raised:
        await connector.health()
    assert raised.value.status == 401
    await connector.aclose()


def test_credentials_are_required() -> None:
    with pytest.raises(ValueError, match="client_secret"):
        PadiConnector(
            ConnectorConfig(
                code="padi", kind="padi", base_url="http://x", credentials={"client_id": "a"}
            )
        )


async def test_the_registry_builds_it(padi_network: PadiNetwork) -> None:
    config = ConnectorConfig("padi", "padi", "http://network", CREDENTIALS)
    connector = build_connector(config, transport=httpx.ASGITransport(app=padi_network.app))
    assert isinstance(connector, PadiConnector)
    await connector.health()
    await connector.aclose()


# --- failures: each maps to the error tree ---------------------------------------------


async def test_rate_limit_is_honoured_without_hammering(padi_launch: Launch) -> None:
    async with padi_launch(rate_limit_per_second=0.01, rate_limit_burst=2) as network:
        connector = network.connector()
        await connector.health()
        await connector.health()
        with pytest.raises(NetworkRateLimited) as first:
            await connector.health()
        assert first.value.retry_after == 100
        calls = await network.requests()
        with pytest.raises(NetworkRateLimited) as second:
            await connector.search_products(ProductQuery(), None, 5)
        assert second.value.retry_after is not None
        assert 0 < second.value.retry_after <= 100
        assert await network.requests() == calls
        await connector.aclose()


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"down": "503"}, NetworkUnavailable),
        ({"error_rate": 1}, NetworkUnavailable),
        ({"malformed_rate": 1}, NetworkProtocolError),
    ],
)
@pytest.mark.parametrize("with_token", [True, False])
async def test_faults_map_to_the_error_tree(
    padi: PadiConnector,
    padi_network: PadiNetwork,
    fault: dict[str, Any],
    error: type[Exception],
    with_token: bool,
) -> None:
    if with_token:
        await padi.health()
    await padi_network.faults(**fault)
    with pytest.raises(error):
        await padi.search_products(ProductQuery(), None, 5)
    with pytest.raises(error):
        await padi.get_suppliers(["UMKM-1"])


def _answering(body: Any) -> httpx.MockTransport:
    """A transport that issues tokens and answers every GraphQL call with ``body``."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            token = {"access_token": "t", "token_type": "Bearer", "expires_in": 300}
            return httpx.Response(200, json=token)
        return httpx.Response(200, content=json.dumps(body).encode())

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"data": None, "errors": [{"message": "x", "extensions": {"code": "INTERNAL"}}]}, NetworkUnavailable),
        ({"data": None, "errors": [{"message": "bad", "extensions": {"code": "INVALID_INPUT"}}]}, NetworkRejected),
        ({"data": None, "errors": [{"message": "gone", "extensions": {"code": "NOT_FOUND"}}]}, NetworkRejected),
        ({"data": None}, NetworkProtocolError),
        ({"data": {"result": [{"id": 5}]}}, NetworkProtocolError),
        ({"data": {"result": [{"id": "UMKM-1", "scale": "RAKSASA"}]}}, NetworkProtocolError),
        ([1, 2, 3], NetworkProtocolError),
    ],
)  # fmt: skip
async def test_graphql_answers_map_to_the_error_tree(body: Any, error: type[Exception]) -> None:
    config = ConnectorConfig("padi", "padi", "http://padi", CREDENTIALS)
    connector = PadiConnector(config, transport=_answering(body))
    with pytest.raises(error) as raised:
        await connector.get_suppliers(["UMKM-1"])
    if isinstance(raised.value, NetworkRejected):
        # PaDi's code decides the status: bad input 422, unknown 404.
        code = body["errors"][0]["extensions"]["code"]
        assert raised.value.status == {"INVALID_INPUT": 422, "NOT_FOUND": 404}[code]
    await connector.aclose()


async def test_a_wrongly_shaped_page_is_a_protocol_error() -> None:
    body = {"data": {"p0": {"total": "many", "items": []}}}
    config = ConnectorConfig("padi", "padi", "http://padi", CREDENTIALS)
    connector = PadiConnector(config, transport=_answering(body))
    with pytest.raises(NetworkProtocolError):
        await connector.search_products(ProductQuery(), None, 5)
    await connector.aclose()


# --- over real HTTP -----------------------------------------------------------------------


async def test_over_real_http_and_a_slow_network_times_out(padi_network: PadiNetwork) -> None:
    async with on_free_port(padi_network.app) as base_url:
        connector = padi_network.connector(base_url=base_url, timeout=0.2)
        page = await connector.search_products(ProductQuery(in_stock=True), None, 4)
        assert len(page.items) == 4
        assert await connector.get_products([page.items[0].id])
        await padi_network.faults(latency_ms=1000)
        with pytest.raises(NetworkTimeout):
            await connector.search_products(ProductQuery(), page.positions[-1], 4)
        await padi_network.faults(latency_ms=0)
        await connector.aclose()


async def test_nothing_listening_is_unavailable(padi_network: PadiNetwork) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connector = padi_network.connector(base_url=f"http://127.0.0.1:{port}", timeout=1.0)
    with pytest.raises(NetworkUnavailable):
        await connector.health()
    await connector.aclose()
