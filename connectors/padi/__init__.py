"""The PaDi UMKM connector: GraphQL with OAuth2 client credentials, page/size paging."""

from connectors.padi.connector import PadiConnector

__all__ = ["PadiConnector"]
