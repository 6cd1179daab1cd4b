"""Procurement through the graph: RFQs, quotes and awards across networks, who sees what,
refusals that write nothing, spend as the sum of its orders, the OCDS export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import strawberry
from sqlalchemy import event

from federation.hub import Federation
from federation.orders.service import OrderService
from federation.procurement.model import Invitation, Rfq
from federation.procurement.service import ProcurementService
from federation.procurement.store import ProcurementStore
from resolvers.context import Context, Services
from resolvers.ids import from_global_id, to_global_id
from resolvers.principal import Principal
from tests.federation.procurement.support import (
    HOUR,
    KERIPIK,
    QUANTITY,
    Clock,
    invited,
    local_supplier,
    orderable_product,
    row_counts,
)
from tests.federation.procurement.test_ocds import errors as ocds_errors
from tests.federation.procurement.test_ocds import record_errors as ocds_record_errors
from tests.schema.conftest import SCHEMA
from tests.support.live import LiveNetworks

pytestmark = pytest.mark.asyncio(loop_scope="module")

READ, WRITE, ANALYTICS = "procurement:read", "procurement:write", "analytics:read"
EVERY = frozenset({READ, WRITE, ANALYTICS, "orders:read", "catalog:read"})

PUBLISH = """mutation($input: PublishRfqInput!) { publishRfq(input: $input) {
  id status buyerId buyerName title deadline
  items { position kbli quantity unit }
  invitations { nib supplierId network { code } scale }
} }"""
QUOTE = """mutation($input: SubmitQuoteInput!) { submitQuote(input: $input) {
  id rfqId nib network { code } status total { amount }
  lines { position productId unitPrice { amount } quantity amount { amount } }
} }"""
AWARD = """mutation($rfq: ID!, $quote: ID!) { awardRfq(rfqId: $rfq, quoteId: $quote) {
  id status network { code } total { amount } quote { id status }
  rfq { id status }
  order { id status buyerId total { amount } lines { network { code } quantity } }
  purchaseOrders { network { code } orderId total { amount } }
} }"""
RFQ = """query($id: ID!) { rfq(id: $id) {
  id status title quoteCount invitations { nib network { code } }
  quotes { id nib status total { amount } }
  award { id status quote { id } order { id status } purchaseOrders { orderId } }
} }"""
RFQS = """query($f: RfqFilter) { rfqs(filter: $f, first: 50) {
  edges { node { id title } } pageInfo { hasNextPage } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Rfq { title } ... on Quote { nib } } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
SPEND = """query($f: SpendFilter!) { spend(filter: $f) {
  total { amount } umkmTotal { amount } umkmShare orderCount
  groups { key label total { amount } umkmTotal { amount } orderCount }
} }"""
OCDS = "query($id: ID!) { rfq(id: $id) { ocds { ocid releasePackage recordPackage } } }"
OLD_OCDS = "query($id: ID!) { rfq(id: $id) { ocdsReleasePackage } }"


def bumn(bumn_id: str) -> str:
    return to_global_id("BUMN", bumn_id)


def as_bumn(bumn_id: str, scopes: frozenset[str] = EVERY) -> Principal:
    return Principal(f"client-{bumn_id}", bumn(bumn_id), scopes, "test")


def as_supplier(nib: str, scopes: frozenset[str] = EVERY) -> Principal:
    return Principal(f"client-{nib}", to_global_id("Supplier", nib), scopes, "test")


class Graph:
    """Runs operations for a principal over one procurement service with its own clock."""

    def __init__(self, federation: Federation, orders: OrderService) -> None:
        self.federation = federation
        self.orders = orders
        self.clock = Clock()
        self.service = ProcurementService(
            ProcurementStore(orders.store.engine), federation, orders, clock=self.clock
        )

    async def run(
        self, who: Principal | None, query: str, variables: dict[str, Any] | None = None
    ) -> strawberry.types.ExecutionResult:
        services = Services(orders=self.orders, procurement=self.service)
        context = Context(self.federation, services=services, principal=who)
        return await SCHEMA.execute(query, variable_values=variables, context_value=context)

    async def data(
        self, who: Principal | None, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        result = await self.run(who, query, variables)
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    def rfq_input(self, **changes: Any) -> dict[str, Any]:
        deadline = dt.datetime.fromtimestamp(self.clock.now + 48 * HOUR, dt.UTC)
        fields = {
            "title": "Keripik untuk rapat tahunan",
            "items": [
                {
                    "description": "Keripik singkong pedas, kemasan 250 g",
                    "kbli": KERIPIK,
                    "quantity": QUANTITY,
                    "unit": "pak",
                }
            ],
            "deliveryRegionCode": "32.73",
            "deadline": deadline.isoformat(),
        }
        return {**fields, **changes}

    async def publish(self, bumn_id: str, **changes: Any) -> dict[str, Any]:
        data = await self.data(as_bumn(bumn_id), PUBLISH, {"input": self.rfq_input(**changes)})
        return dict(data["publishRfq"])

    async def domain_rfq(self, rfq: dict[str, Any]) -> Rfq:
        found = await self.service.store.load_rfqs([native(rfq["id"])])
        return found[0]

    async def sejuk_quote(self, rfq: dict[str, Any]) -> tuple[Invitation, dict[str, Any]]:
        """A quote input for a SEJUK supplier invited to ``rfq`` that can fill the order."""
        local = await local_supplier(self.federation, await self.domain_rfq(rfq))
        product = await orderable_product(self.federation, local)
        assert product is not None
        line = {"position": 0, "productId": to_global_id("Product", "sejuk", product.id)}
        return local, quote_input(rfq, "sejuk", line, delivery_days=4)

    async def padi_quote(
        self, rfq: dict[str, Any], unit_price: int
    ) -> tuple[Invitation, dict[str, Any]]:
        remote = invited(await self.domain_rfq(rfq), "padi")[0]
        line = {"position": 0, "unitPrice": unit_price}
        return remote, quote_input(rfq, "padi", line, delivery_days=7)

    async def quote(self, invitation: Invitation, quote_in: dict[str, Any]) -> dict[str, Any]:
        data = await self.data(as_supplier(invitation.nib), QUOTE, {"input": quote_in})
        return dict(data["submitQuote"])


def native(global_id: str) -> str:
    """The hub's own id inside an Rfq or Order global ID."""
    return from_global_id(global_id)[1][0]


def quote_input(
    rfq: dict[str, Any], network: str, line: dict[str, Any], delivery_days: int
) -> dict[str, Any]:
    return {"rfqId": rfq["id"], "network": network, "lines": [line], "deliveryDays": delivery_days}


def codes(result: strawberry.types.ExecutionResult) -> list[str]:
    return [(e.extensions or {}).get("code", "") for e in result.errors or ()]


@pytest.fixture
def graph(federation: Federation, orders: OrderService) -> Graph:
    return Graph(federation, orders)


# ---- the whole cycle -----------------------------------------------------------------


async def test_rfq_cycle_across_two_networks_ends_in_a_purchase_order_at_the_winners(
    graph: Graph, orders: OrderService, clean: LiveNetworks
) -> None:
    rfq = await graph.publish("BUMN-PANGAN")
    assert rfq["status"] == "OPEN"
    assert rfq["buyerId"] == bumn("BUMN-PANGAN")
    assert {i["network"]["code"] for i in rfq["invitations"]} >= {"sejuk", "padi"}

    local, sejuk_in = await graph.sejuk_quote(rfq)
    remote, padi_in = await graph.padi_quote(rfq, unit_price=9_500)
    sejuk_quote = await graph.quote(local, sejuk_in)
    padi_quote = await graph.quote(remote, padi_in)
    assert padi_quote["total"]["amount"] == 9_500 * QUANTITY
    line = sejuk_quote["lines"][0]
    assert sejuk_quote["total"]["amount"] == line["unitPrice"]["amount"] * QUANTITY

    seen = (await graph.data(as_bumn("BUMN-PANGAN"), RFQ, {"id": rfq["id"]}))["rfq"]
    assert seen["quoteCount"] == 2
    assert {q["id"] for q in seen["quotes"]} == {sejuk_quote["id"], padi_quote["id"]}
    assert seen["award"] is None

    variables = {"rfq": rfq["id"], "quote": sejuk_quote["id"]}
    award = (await graph.data(as_bumn("BUMN-PANGAN"), AWARD, variables))["awardRfq"]

    assert (award["status"], award["network"]["code"]) == ("ISSUED", "sejuk")
    assert award["rfq"]["status"] == "AWARDED"
    assert award["quote"] == {"id": sejuk_quote["id"], "status": "AWARDED"}
    assert award["purchaseOrders"] == []
    order = award["order"]
    assert order["status"] == "CONFIRMED"
    assert order["buyerId"] == bumn("BUMN-PANGAN")
    assert order["total"] == sejuk_quote["total"] == award["total"]
    assert order["lines"] == [{"network": {"code": "sejuk"}, "quantity": QUANTITY}]
    # The order is the BUMN's own: its token reads it like any of its orders.
    mine = await graph.data(
        as_bumn("BUMN-PANGAN"), "query($id: ID!) { order(id: $id) { id } }", {"id": order["id"]}
    )
    assert mine["order"] == {"id": order["id"]}
    stored = await orders.get(native(order["id"]))
    (sub,) = stored.sub_orders
    assert sub.native_id is not None
    at_sejuk = await graph.federation.by_code["sejuk"].get_order(sub.native_id)
    assert at_sejuk is not None
    assert at_sejuk.total == award["total"]["amount"]

    after = (await graph.data(as_bumn("BUMN-PANGAN"), RFQ, {"id": rfq["id"]}))["rfq"]
    statuses = {q["id"]: q["status"] for q in after["quotes"]}
    assert statuses == {sejuk_quote["id"]: "AWARDED", padi_quote["id"]: "REJECTED"}
    assert after["award"]["order"] == {"id": order["id"], "status": "CONFIRMED"}


async def test_award_to_a_padi_supplier_is_padis_own_purchase_order(
    graph: Graph, clean: LiveNetworks
) -> None:
    rfq = await graph.publish("BUMN-PANGAN", title="Keripik untuk kantor")
    remote, padi_in = await graph.padi_quote(rfq, unit_price=8_750)
    quote = await graph.quote(remote, padi_in)

    variables = {"rfq": rfq["id"], "quote": quote["id"]}
    award = (await graph.data(as_bumn("BUMN-PANGAN"), AWARD, variables))["awardRfq"]

    assert (award["status"], award["order"]) == ("ISSUED", None)
    (po,) = award["purchaseOrders"]
    assert (po["network"]["code"], po["total"]["amount"]) == ("padi", 8_750 * QUANTITY)
    at_padi = await graph.federation.by_code["padi"].get_order(po["orderId"])
    assert at_padi is not None
    assert at_padi.total == 8_750 * QUANTITY
    # The winner sees the award; the RFQ's buyer too.
    as_winner = (await graph.data(as_supplier(remote.nib), RFQ, {"id": rfq["id"]}))["rfq"]
    assert as_winner["award"]["purchaseOrders"] == [{"orderId": po["orderId"]}]


# ---- who sees what -------------------------------------------------------------------


async def test_a_bumn_sees_only_its_own_rfqs_by_every_path(
    graph: Graph, clean: LiveNetworks
) -> None:
    mine = await graph.publish("BUMN-PUPUK", title="Keripik Pupuk")
    theirs = await graph.publish("BUMN-KAI", title="Keripik Kereta")
    pupuk, kai = as_bumn("BUMN-PUPUK"), as_bumn("BUMN-KAI")

    assert (await graph.data(pupuk, RFQ, {"id": theirs["id"]}))["rfq"] is None
    assert (await graph.data(pupuk, NODE, {"id": theirs["id"]}))["node"] is None
    both = await graph.data(pupuk, NODES, {"ids": [mine["id"], theirs["id"]]})
    assert both["nodes"] == [{"id": mine["id"]}, None]
    listed = await graph.data(pupuk, RFQS)
    titles = {e["node"]["title"] for e in listed["rfqs"]["edges"]}
    assert "Keripik Pupuk" in titles
    assert "Keripik Kereta" not in titles
    node = (await graph.data(kai, NODE, {"id": theirs["id"]}))["node"]
    assert node == {"id": theirs["id"], "title": "Keripik Kereta"}
    # Asking for another BUMN's list by name is refused outright.
    other = await graph.run(pupuk, RFQS, {"f": {"buyerId": bumn("BUMN-KAI")}})
    assert (codes(other), other.data) == (["FORBIDDEN"], None)


async def test_suppliers_see_only_their_own_invitation_and_quote(
    graph: Graph, clean: LiveNetworks
) -> None:
    rfq = await graph.publish("BUMN-POS", title="Keripik Pos")
    local, sejuk_in = await graph.sejuk_quote(rfq)
    remote, padi_in = await graph.padi_quote(rfq, unit_price=9_000)
    sejuk_quote = await graph.quote(local, sejuk_in)
    padi_quote = await graph.quote(remote, padi_in)

    seen = (await graph.data(as_supplier(local.nib), RFQ, {"id": rfq["id"]}))["rfq"]
    assert {i["nib"] for i in seen["invitations"]} == {local.nib}
    assert [q["id"] for q in seen["quotes"]] == [sejuk_quote["id"]]
    assert seen["quoteCount"] == 1
    other_quote = await graph.data(as_supplier(local.nib), NODE, {"id": padi_quote["id"]})
    assert other_quote["node"] is None
    own_quote = await graph.data(as_supplier(remote.nib), NODE, {"id": padi_quote["id"]})
    assert own_quote["node"] == {"id": padi_quote["id"], "nib": remote.nib}
    listed = await graph.data(as_supplier(local.nib), RFQS, {"f": {"status": "OPEN"}})
    assert rfq["id"] in {e["node"]["id"] for e in listed["rfqs"]["edges"]}

    stranger = as_supplier("0000000000000")
    assert (await graph.data(stranger, RFQ, {"id": rfq["id"]}))["rfq"] is None
    assert (await graph.data(stranger, NODE, {"id": sejuk_quote["id"]}))["node"] is None
    assert (await graph.data(stranger, RFQS))["rfqs"]["edges"] == []

    # Once awarded, the loser does not see the award; the winner does.
    await graph.data(as_bumn("BUMN-POS"), AWARD, {"rfq": rfq["id"], "quote": sejuk_quote["id"]})
    loser = (await graph.data(as_supplier(remote.nib), RFQ, {"id": rfq["id"]}))["rfq"]
    assert loser["award"] is None
    assert [q["status"] for q in loser["quotes"]] == ["REJECTED"]
    winner = (await graph.data(as_supplier(local.nib), RFQ, {"id": rfq["id"]}))["rfq"]
    assert winner["award"]["quote"] == {"id": sejuk_quote["id"]}


async def test_publishing_again_with_the_idempotency_key_is_the_same_rfq(
    graph: Graph, clean: LiveNetworks
) -> None:
    first = await graph.publish("BUMN-ENERGI", idempotencyKey="energi/rfq/7")
    again = await graph.publish("BUMN-ENERGI", idempotencyKey="energi/rfq/7")
    assert again == first
    different = graph.rfq_input(title="Keripik lain", idempotencyKey="energi/rfq/7")
    refused = await graph.run(as_bumn("BUMN-ENERGI"), PUBLISH, {"input": different})
    assert codes(refused) == ["CONFLICT"]
    # Another BUMN's equal key is a key of its own: its RFQ, not a conflict nor ENERGI's.
    other = await graph.data(as_bumn("BUMN-KAI"), PUBLISH, {"input": different})
    assert other["publishRfq"]["id"] != first["id"]
    assert other["publishRfq"]["buyerId"] == bumn("BUMN-KAI")


async def test_a_page_of_rfqs_with_their_quotes_reads_the_database_a_fixed_number_of_times(
    graph: Graph, clean: LiveNetworks
) -> None:
    page = """query($n: Int!) { rfqs(first: $n) {
      edges { node { id quoteCount quotes { id nib } } } } }"""
    quoted: dict[str, str] = {}
    for n in range(4):
        rfq = await graph.publish("BUMN-TELKO", title=f"Keripik {n}")
        local, quote_in = await graph.sejuk_quote(rfq)
        quoted[rfq["id"]] = (await graph.quote(local, quote_in))["id"]

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = graph.orders.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        reads = {}
        for size in (1, 4):
            statements.clear()
            data = await graph.data(as_bumn("BUMN-TELKO"), page, {"n": size})
            edges = data["rfqs"]["edges"]
            assert len(edges) == size
            for edge in edges:
                node = edge["node"]
                assert [q["id"] for q in node["quotes"]] == [quoted[node["id"]]]
                assert node["quoteCount"] == 1
            reads[size] = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert reads[4] == reads[1]


async def test_a_cooperative_token_has_no_procurement(graph: Graph, clean: LiveNetworks) -> None:
    rfq = await graph.publish("BUMN-PUPUK")
    cooperative = Principal("coop", to_global_id("Cooperative", "sejuk", "1"), EVERY, "test")
    published = await graph.run(cooperative, PUBLISH, {"input": graph.rfq_input()})
    assert (codes(published), published.data) == (["FORBIDDEN"], None)
    assert codes(await graph.run(cooperative, RFQ, {"id": rfq["id"]})) == ["FORBIDDEN"]
    assert (await graph.data(cooperative, NODE, {"id": rfq["id"]}))["node"] is None


SCOPED: list[tuple[str, str, str]] = [
    (RFQ, "id", READ),
    (RFQS, "", READ),
    (NODE, "id", READ),
    (PUBLISH, "input", WRITE),
    (SPEND, "f", ANALYTICS),
]


@pytest.mark.parametrize(("query", "variable", "scope"), SCOPED)
async def test_each_missing_scope_is_forbidden(
    graph: Graph, query: str, variable: str, scope: str, clean: LiveNetworks
) -> None:
    values = {
        "id": to_global_id("Rfq", "x"),
        "input": graph.rfq_input(),
        "f": {"period": {"from": "2025-01", "to": "2025-02"}, "groupBy": "MONTH"},
    }
    variables = {variable: values[variable]} if variable else {}
    async with Unchanged(graph, clean):
        result = await graph.run(as_bumn("BUMN-PUPUK", EVERY - {scope}), query, variables)
    assert codes(result) == ["FORBIDDEN"]
    assert result.data is None or all(v is None for v in result.data.values())


async def test_anonymous_requests_read_no_procurement_and_write_none(
    graph: Graph, clean: LiveNetworks
) -> None:
    rfq = await graph.publish("BUMN-KAI")
    month = {"from": "2025-01", "to": "2025-12"}
    kai = bumn("BUMN-KAI")
    async with Unchanged(graph, clean):
        for query, variables in [
            (PUBLISH, {"input": graph.rfq_input(buyerId=kai)}),
            (RFQ, {"id": rfq["id"]}),
            (RFQS, {"f": {"buyerId": kai}}),
            (RFQS, {}),
            (NODE, {"id": rfq["id"]}),
            (NODES, {"ids": [rfq["id"]]}),
            (SPEND, {"f": {"period": month, "groupBy": "MONTH", "buyer": kai}}),
        ]:
            result = await graph.run(None, query, variables)
            assert codes(result) == ["UNAUTHENTICATED"], query
            assert result.data is None or not any(result.data.values())
    as_other = await graph.run(
        as_bumn("BUMN-PUPUK"), PUBLISH, {"input": graph.rfq_input(buyerId=kai)}
    )
    assert codes(as_other) == ["FORBIDDEN"]


# ---- refusals: a clear error, nothing written -------------------------------------


class Unchanged:
    def __init__(self, graph: Graph, networks: LiveNetworks) -> None:
        self.graph = graph
        self.networks = networks
        self.rows: dict[str, int] = {}

    async def __aenter__(self) -> Unchanged:
        await self.networks.reset_counts()
        self.rows = await row_counts(self.graph.service.store.engine)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert await row_counts(self.graph.service.store.engine) == self.rows
        assert set((await self.networks.request_counts()).values()) == {0}


async def refused(
    graph: Graph, who: Principal, query: str, variables: dict[str, Any]
) -> tuple[str, str]:
    result = await graph.run(who, query, variables)
    assert result.data is None, result.data
    assert result.errors is not None
    (error,) = result.errors
    return str((error.extensions or {})["code"]), error.message


async def test_an_rfq_with_no_items_or_a_past_deadline(graph: Graph, clean: LiveNetworks) -> None:
    pangan = as_bumn("BUMN-PANGAN")
    past = dt.datetime.fromtimestamp(graph.clock.now - 60, dt.UTC).isoformat()
    async with Unchanged(graph, clean):
        code, message = await refused(graph, pangan, PUBLISH, {"input": graph.rfq_input(items=[])})
        assert (code, "at least one item" in message) == ("BAD_USER_INPUT", True)
        code, message = await refused(
            graph, pangan, PUBLISH, {"input": graph.rfq_input(deadline=past)}
        )
        assert (code, "already passed" in message) == ("BAD_USER_INPUT", True)


async def test_a_quote_after_the_deadline_or_from_a_supplier_not_invited(
    graph: Graph, clean: LiveNetworks
) -> None:
    rfq = await graph.publish("BUMN-PANGAN")
    local, sejuk_in = await graph.sejuk_quote(rfq)
    async with Unchanged(graph, clean):
        stranger = as_supplier("0000000000000")
        assert (await refused(graph, stranger, QUOTE, {"input": sejuk_in}))[0] == "NOT_FOUND"
    graph.clock.advance(48 * HOUR + 1)
    async with Unchanged(graph, clean):
        code, message = await refused(graph, as_supplier(local.nib), QUOTE, {"input": sejuk_in})
        assert (code, "closed" in message) == ("CONFLICT", True)


async def test_awarding_twice(graph: Graph, clean: LiveNetworks) -> None:
    rfq = await graph.publish("BUMN-PANGAN")
    local, sejuk_in = await graph.sejuk_quote(rfq)
    remote, padi_in = await graph.padi_quote(rfq, unit_price=9_100)
    first = await graph.quote(local, sejuk_in)
    second = await graph.quote(remote, padi_in)
    pangan = as_bumn("BUMN-PANGAN")
    await graph.data(pangan, AWARD, {"rfq": rfq["id"], "quote": first["id"]})
    async with Unchanged(graph, clean):
        for quote in (first, second):
            code, message = await refused(
                graph, pangan, AWARD, {"rfq": rfq["id"], "quote": quote["id"]}
            )
            assert (code, "awarded once" in message) == ("CONFLICT", True)
        # Another BUMN cannot award it either: to it the RFQ does not exist.
        code, _ = await refused(
            graph, as_bumn("BUMN-KAI"), AWARD, {"rfq": rfq["id"], "quote": first["id"]}
        )
        assert code == "NOT_FOUND"


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ({"from": "2025-06", "to": "2025-01"}, "backwards"),
        ({"from": "2022-01", "to": "2025-06"}, "at most 36"),
    ],
)
async def test_a_spend_period_inverted_or_too_long(
    graph: Graph, clean: LiveNetworks, period: dict[str, str], words: str
) -> None:
    async with Unchanged(graph, clean):
        code, message = await refused(
            graph, as_bumn("BUMN-SEMEN"), SPEND, {"f": {"period": period, "groupBy": "MONTH"}}
        )
    assert (code, words in message) == ("BAD_USER_INPUT", True)


async def test_another_bumns_spend_is_forbidden(graph: Graph, clean: LiveNetworks) -> None:
    f = {"period": {"from": "2025-01", "to": "2025-12"}, "groupBy": "MONTH"}
    result = await graph.run(as_bumn("BUMN-SEMEN"), SPEND, {"f": {**f, "buyer": bumn("BUMN-KAI")}})
    assert codes(result) == ["FORBIDDEN"]
    supplier = await graph.run(as_supplier("0000000000000"), SPEND, {"f": f})
    assert codes(supplier) == ["FORBIDDEN"]


# ---- spend ---------------------------------------------------------------------------


async def test_spend_is_the_sum_of_the_orders_behind_it(graph: Graph, clean: LiveNetworks) -> None:
    semen = as_bumn("BUMN-SEMEN")
    hub_rfq = await graph.publish("BUMN-SEMEN", title="Keripik via sejuk")
    local, sejuk_in = await graph.sejuk_quote(hub_rfq)
    hub_quote = await graph.quote(local, sejuk_in)
    hub_award = await graph.data(semen, AWARD, {"rfq": hub_rfq["id"], "quote": hub_quote["id"]})
    padi_rfq = await graph.publish("BUMN-SEMEN", title="Keripik via padi")
    remote, padi_in = await graph.padi_quote(padi_rfq, unit_price=12_345)
    padi_quote = await graph.quote(remote, padi_in)
    await graph.data(semen, AWARD, {"rfq": padi_rfq["id"], "quote": padi_quote["id"]})

    hub_order = hub_award["awardRfq"]["order"]
    assert hub_order["status"] == "CONFIRMED"
    today = dt.datetime.fromtimestamp(graph.clock.now, dt.UTC).date()
    start = today.year * 12 + today.month - 1 - 23
    first, last = f"{start // 12:04d}-{start % 12 + 1:02d}", today.strftime("%Y-%m")
    padi = graph.service.padi
    assert padi is not None
    padi_rows = await padi.spend("BUMN", bumn_id="BUMN-SEMEN", month_from=first, month_to=last)
    padi_total = sum(r.amount for r in padi_rows)
    hub_total = hub_order["total"]["amount"]

    reports = {}
    for group in ("MONTH", "REGION", "SCALE", "KBLI", "NETWORK"):
        f = {"period": {"from": first, "to": last}, "groupBy": group}
        report = (await graph.data(semen, SPEND, {"f": f}))["spend"]
        reports[group] = report
        assert report["total"]["amount"] == hub_total + padi_total, group
        assert sum(g["total"]["amount"] for g in report["groups"]) == report["total"]["amount"]
        assert report["umkmShare"] == pytest.approx(
            report["umkmTotal"]["amount"] / report["total"]["amount"]
        )
        umkm_parts = sum(g["umkmTotal"]["amount"] for g in report["groups"])
        assert umkm_parts == report["umkmTotal"]["amount"], group
    by_network = {g["key"]: g["total"]["amount"] for g in reports["NETWORK"]["groups"]}
    assert by_network == {"sejuk": hub_total, "padi": padi_total}
    by_kbli = {g["key"]: g["total"]["amount"] for g in reports["KBLI"]["groups"]}
    assert by_kbli == {KERIPIK: hub_total, "unreported": padi_total}
    scale = reports["SCALE"]
    umkm = sum(g["total"]["amount"] for g in scale["groups"] if g["key"] != "besar")
    assert scale["umkmTotal"]["amount"] == umkm
    assert sum(g["umkmTotal"]["amount"] for g in scale["groups"]) == umkm
    assert 0 < scale["umkmShare"] < 1
    months = [g["key"] for g in reports["MONTH"]["groups"]]
    assert months == sorted(months)
    assert months[-1] == last
    regions = {g["key"]: g["label"] for g in reports["REGION"]["groups"]}
    assert regions["32.73"] == "Kota Bandung"


# ---- OCDS ----------------------------------------------------------------------------


async def test_the_ocds_export_validates_against_the_schema(
    graph: Graph, clean: LiveNetworks
) -> None:
    rfq = await graph.publish("BUMN-FARMASI", title="Keripik untuk apotek")
    local, sejuk_in = await graph.sejuk_quote(rfq)
    remote, padi_in = await graph.padi_quote(rfq, unit_price=9_900)
    quote = await graph.quote(local, sejuk_in)
    await graph.quote(remote, padi_in)
    farmasi = as_bumn("BUMN-FARMASI")

    tender = (await graph.data(farmasi, OCDS, {"id": rfq["id"]}))["rfq"]["ocds"]
    assert ocds_errors(tender["releasePackage"]) == []
    assert ocds_record_errors(tender["recordPackage"]) == []
    assert [r["tag"] for r in tender["releasePackage"]["releases"]] == [["tender"]]

    await graph.data(farmasi, AWARD, {"rfq": rfq["id"], "quote": quote["id"]})
    export = (await graph.data(farmasi, OCDS, {"id": rfq["id"]}))["rfq"]["ocds"]
    package, record = export["releasePackage"], export["recordPackage"]
    assert ocds_errors(package) == []
    assert ocds_record_errors(record) == []
    # The tender release is what it was; the award and the purchase order are their own.
    assert package["releases"][0] == tender["releasePackage"]["releases"][0]
    assert [r["tag"] for r in package["releases"]] == [
        ["tender"],
        ["tenderUpdate", "award"],
        ["contract"],
    ]
    compiled = record["records"][0]["compiledRelease"]
    assert record["records"][0]["ocid"] == export["ocid"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert compiled["awards"][0]["suppliers"][0]["id"] == f"ID-NIB-{local.nib}"
    assert compiled["awards"][0]["value"] == {"amount": quote["total"]["amount"], "currency": "IDR"}

    # The deprecated field answers the same package.
    old = (await graph.data(farmasi, OLD_OCDS, {"id": rfq["id"]}))["rfq"]["ocdsReleasePackage"]
    assert old == package

    # The export names every quote: a supplier cannot have it.
    for query in (OCDS, OLD_OCDS):
        result = await graph.run(as_supplier(local.nib), query, {"id": rfq["id"]})
        assert codes(result) == ["FORBIDDEN"]
