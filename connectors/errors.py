"""What can go wrong talking to a network, as one small tree.

    ConnectorError                 any failure reaching or understanding a network
    ├── NetworkTimeout             no answer within the deadline
    ├── NetworkUnavailable         refused connection, 5xx, 503 down
    ├── NetworkRateLimited         429; ``retry_after`` seconds when the network says
    ├── NetworkRejected            4xx: our request or credentials were refused
    └── NetworkProtocolError       an answer we cannot read (garbage, wrong shape)

The federation layer turns any of them into that network's ERROR or TIMEOUT status;
the schema layer maps them to ``extensions.code`` in one place.

Errors say what, not how: ``message`` is the hub's own short reason ("rejected the request
(HTTP 400)") and reaches clients. What the network said, and where we asked it (its body,
the URL, the transport's exception), is logged once at warning level by ``logged`` under a
short ``request_id`` that the error carries, so a client's report matches one log line.
"""

from __future__ import annotations

import logging
import secrets

log = logging.getLogger("hub.connectors")


def logged(network: str, message: str, detail: str) -> str:
    """Log ``detail`` (what the network said, where) beside the hub's ``message``, once,
    at warning level; the fresh request id the log line carries."""
    request_id = secrets.token_hex(4)
    log.warning(
        "network %s: %s [requestId=%s] %s",
        network,
        message,
        request_id,
        detail,
        extra={"network": network, "request_id": request_id},
    )
    return request_id


class ConnectorError(Exception):
    """A failure reaching or understanding ``network``; ``message`` is safe to show a
    client, ``request_id`` names the log line holding the network's own words."""

    def __init__(self, network: str, message: str, *, request_id: str | None = None) -> None:
        super().__init__(f"{network}: {message}")
        self.network = network
        self.message = message
        self.request_id = request_id

    @property
    def extensions(self) -> dict[str, object]:
        """GraphQL error extensions: graphql-core adopts them for an error this one caused."""
        return {"requestId": self.request_id} if self.request_id is not None else {}


class NetworkTimeout(ConnectorError):
    pass


class NetworkUnavailable(ConnectorError):
    pass


class NetworkRateLimited(ConnectorError):
    def __init__(
        self,
        network: str,
        message: str,
        retry_after: float | None = None,
        *,
        request_id: str | None = None,
    ) -> None:
        super().__init__(network, message, request_id=request_id)
        self.retry_after = retry_after


class NetworkRejected(ConnectorError):
    """``body`` is the network's decoded error answer (JSON), for its connector to read."""

    def __init__(
        self,
        network: str,
        message: str,
        status: int,
        body: object = None,
        *,
        request_id: str | None = None,
    ) -> None:
        super().__init__(network, message, request_id=request_id)
        self.status = status
        self.body = body


class NetworkProtocolError(ConnectorError):
    pass
