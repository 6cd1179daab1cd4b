"""Header and body read timeouts for uvicorn: slow ("slowloris") clients get disconnected.

uvicorn limits how long an idle keep-alive connection may stay open, but not how long a
client may take to send a request: one that sends a header byte every few seconds holds
its connection, and a worker's file descriptor, for as long as it likes. ``timeout_protocol``
makes uvicorn's httptools protocol close the connection of a client that has not sent a
request's headers within ``header_timeout`` seconds, or its body within ``body_timeout``
seconds of its headers. Responses are never timed: a long-running operation, an upgraded
WebSocket and an idle keep-alive connection (uvicorn's ``timeout_keep_alive``) are untouched.

When the header clock runs:

* from the moment the connection opens until the first request's headers are in;
* from the end of each response until the next request's headers are in. If no byte at
  all has come by the deadline the connection is idle, which is uvicorn's keep-alive
  timeout's business, so it is left open; the clock then restarts at the first byte, which
  bounds a keep-alive slowloris by ``timeout_keep_alive + header_timeout`` (~10 s by default).

The body clock runs from a request's headers until its end. While an earlier pipelined
request is still being answered uvicorn itself stops reading, so the clock is restarted
instead of blaming the client.

Why httptools rather than h11: its parser calls the protocol back at exactly the points the
timers need (``on_message_begin``, ``on_headers_complete``, ``on_message_complete``, names
fixed by httptools' parser API), so the subclass only wraps those; with h11 it would have to
copy or re-inspect uvicorn's event loop (``handle_events``) after every read. httptools is
also uvicorn's faster, default parser when installed.

What this relies on in uvicorn (checked against 0.55):

* ``uvicorn.protocols.http.httptools_impl.HttpToolsProtocol`` exists, is built by uvicorn
  with keyword arguments only (not overridden here), and hands itself to
  ``httptools.HttpRequestParser`` so the parser calls the subclass's callbacks;
* its ``on_response_complete()`` is called once per finished response (a uvicorn method, not
  part of any public API); it is wrapped, not replaced;
* it switches to the WebSocket protocol with ``transport.set_protocol`` from inside
  ``data_received``: after each read the subclass checks ``transport.get_protocol()`` and
  drops its timers once the connection is no longer its own.

Everything else used here is asyncio's public ``Protocol``/``Transport`` API.
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger("hub.timeouts")


class ReadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body read timeouts (seconds).

    Use ``timeout_protocol`` to get a subclass with other timeouts: uvicorn builds the
    protocol itself, so the timeouts are class attributes rather than arguments.
    """

    header_timeout: float = 5.0
    body_timeout: float = 5.0

    # Attribute names carry a prefix so that they cannot collide with uvicorn's own.
    _rt_transport: asyncio.Transport | None = None
    _rt_header_timer: asyncio.TimerHandle | None = None
    _rt_body_timer: asyncio.TimerHandle | None = None
    # Requests whose headers are in and whose response is not yet finished.
    _rt_outstanding: int = 0
    # True from the end of a response until the next byte arrives: the connection is idle.
    _rt_idle: bool = False
    # The header deadline passed while idle: restart the header clock on the next byte.
    _rt_restart_on_data: bool = False

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start the header clock as the connection opens."""
        # uvicorn's servers hand every protocol a full (stream) Transport.
        self._rt_transport = cast(asyncio.Transport, transport)
        super().connection_made(self._rt_transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clocks; the connection is gone."""
        self._cancel_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed uvicorn's parser, then stop timing if it switched to another protocol."""
        self._rt_idle = False
        if self._rt_restart_on_data:
            self._rt_restart_on_data = False
            self._arm_header_timer()
        super().data_received(data)
        transport = self._rt_transport
        if transport is not None and transport.get_protocol() is not self:
            # Upgraded to a WebSocket: that protocol owns the connection from here on.
            self._cancel_timers()

    # httptools parser callbacks (uvicorn's implementations do the work)

    def on_headers_complete(self) -> None:
        """The headers are in: stop the header clock and start the body clock."""
        self._cancel_header_timer()
        self._rt_outstanding += 1
        self._cancel_body_timer()
        self._rt_body_timer = self._loop().call_later(self.body_timeout, self._body_expired)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The whole body is in: stop the body clock."""
        self._cancel_body_timer()
        super().on_message_complete()

    # uvicorn

    def on_response_complete(self) -> None:
        """A response is sent: the client owes the next request's headers."""
        self._rt_outstanding = max(0, self._rt_outstanding - 1)
        super().on_response_complete()
        transport = self._rt_transport
        if self._rt_outstanding == 0 and transport is not None and not transport.is_closing():
            self._rt_idle = True
            self._arm_header_timer()

    # Timers

    def _loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._rt_restart_on_data = False
        self._rt_header_timer = self._loop().call_later(self.header_timeout, self._header_expired)

    def _cancel_header_timer(self) -> None:
        if self._rt_header_timer is not None:
            self._rt_header_timer.cancel()
            self._rt_header_timer = None

    def _cancel_body_timer(self) -> None:
        if self._rt_body_timer is not None:
            self._rt_body_timer.cancel()
            self._rt_body_timer = None

    def _cancel_timers(self) -> None:
        self._cancel_header_timer()
        self._cancel_body_timer()
        self._rt_restart_on_data = False

    def _header_expired(self) -> None:
        self._rt_header_timer = None
        if self._rt_idle:
            # Nothing sent since the last response: idle, not slow. uvicorn's keep-alive
            # timeout closes it; a request that starts later gets a fresh header clock.
            self._rt_restart_on_data = True
            return
        self._close(f"sent no complete request headers within {self.header_timeout:g} s")

    def _body_expired(self) -> None:
        self._rt_body_timer = None
        if self._rt_outstanding > 1:
            # An earlier pipelined request is still being answered and uvicorn does not
            # read meanwhile: not the client's fault, so give it another period.
            self._rt_body_timer = self._loop().call_later(self.body_timeout, self._body_expired)
            return
        self._close(f"sent no complete request body within {self.body_timeout:g} s")

    def _close(self, why: str) -> None:
        transport = self._rt_transport
        if transport is None or transport.is_closing():
            return
        peer = transport.get_extra_info("peername")
        client = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "a client"
        logger.warning("closing the connection from %s: it %s", client, why)
        transport.close()


def timeout_protocol(header_timeout: float, body_timeout: float) -> type[ReadTimeoutProtocol]:
    """A ``ReadTimeoutProtocol`` subclass with these timeouts, for ``uvicorn.Config(http=...)``."""
    if header_timeout <= 0 or body_timeout <= 0:
        raise ValueError("header_timeout and body_timeout must be positive")

    class Configured(ReadTimeoutProtocol):
        pass

    Configured.header_timeout = header_timeout
    Configured.body_timeout = body_timeout
    return Configured
