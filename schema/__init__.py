"""The unified graph's strawberry types and the root Query assembly."""

from schema.build import build_schema

__all__ = ["build_schema"]
