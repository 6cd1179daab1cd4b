"""SEJUK (Kota Bandung): REST in Indonesian, an API key, ``halaman`` paging, harga grosir."""

from connectors.sejuk.connector import SejukConnector

__all__ = ["SejukConnector"]
