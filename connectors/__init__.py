"""Adapters from each network's native API to the hub's canonical records.

Public surface: the ``Connector`` protocol (``connectors.base``), the records and queries
it speaks (``connectors.records``), its error tree (``connectors.errors``), and
``build_connector`` (``connectors.registry``). Nothing here knows GraphQL.
"""
