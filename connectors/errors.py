"""What can go wrong talking to a network, as one small tree.

    ConnectorError                 any failure reaching or understanding a network
    ├── NetworkTimeout             no answer within the deadline
    ├── NetworkUnavailable         refused connection, 5xx, 503 down
    ├── NetworkRateLimited         429; ``retry_after`` seconds when the network says
    ├── NetworkRejected            4xx: our request or credentials were refused
    └── NetworkProtocolError       an answer we cannot read (garbage, wrong shape)

The federation layer turns any of them into that network's ERROR or TIMEOUT status;
the schema layer maps them to ``extensions.code`` in one place.
"""

from __future__ import annotations


class ConnectorError(Exception):
    def __init__(self, network: str, message: str) -> None:
        super().__init__(f"{network}: {message}")
        self.network = network
        self.message = message


class NetworkTimeout(ConnectorError):
    pass


class NetworkUnavailable(ConnectorError):
    pass


class NetworkRateLimited(ConnectorError):
    def __init__(self, network: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(network, message)
        self.retry_after = retry_after


class NetworkRejected(ConnectorError):
    """``body`` is the network's decoded error answer (JSON), for its connector to read."""

    def __init__(self, network: str, message: str, status: int, body: object = None) -> None:
        super().__init__(network, message)
        self.status = status
        self.body = body


class NetworkProtocolError(ConnectorError):
    pass
