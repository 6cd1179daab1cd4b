from __future__ import annotations

from pydantic import BaseModel, Field

from networks.common.openapi import Operation, build_openapi


class Problem(BaseModel):
    message: str


class Page(BaseModel):
    limit: int = Field(20, le=100, description="items per page")
    q: str | None = None


class Line(BaseModel):
    product_id: int
    quantity: int = Field(gt=0)


class Order(BaseModel):
    lines: list[Line]


def test_document_describes_parameters_bodies_and_errors() -> None:
    doc = build_openapi(
        title="Toy",
        version="1",
        description="toy network",
        operations=[
            Operation("GET", "/items", "listItems", "List items", query=Page),
            Operation("POST", "/orders/{id}", "placeOrder", "Place", body=Order, response=Order),
        ],
        security_scheme={"type": "apiKey", "in": "header", "name": "X-Key"},
        error_model=Problem,
    )
    assert doc["openapi"] == "3.1.0"
    listing = doc["paths"]["/items"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"limit", "q"}
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100
    place = doc["paths"]["/orders/{id}"]["post"]
    assert place["parameters"][0] == {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    body_ref = place["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body_ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    assert "Line" in doc["components"]["schemas"]
    assert "Problem" in doc["components"]["schemas"]
    assert place["security"] == [{"default": []}]
