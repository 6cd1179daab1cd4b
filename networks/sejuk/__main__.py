"""``python -m networks.sejuk --port 8101``: run SEJUK alone."""

from __future__ import annotations

from networks.common.cli import run
from networks.sejuk.app import create_app
from networks.sejuk.settings import DEFAULT_PORT, SejukSettings

if __name__ == "__main__":
    run("sejuk", "SEJUK (Kota Bandung)", DEFAULT_PORT, SejukSettings, create_app)
