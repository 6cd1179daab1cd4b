"""Tangerang: the Kota Tangerang cooperative network's reference server (REST, HMAC-signed)."""
