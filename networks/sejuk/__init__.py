"""SEJUK: the Kota Bandung cooperative network's reference server (REST/JSON, Indonesian)."""
