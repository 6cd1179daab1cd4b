"""GraphQL over WebSocket at /graphql (the ``graphql-transport-ws`` protocol).

This module only frames messages: every ``subscribe`` (query, mutation or subscription)
passes ``hub.pipeline`` exactly as an HTTP request does, with its ``extensions`` (so
persisted queries work here too). A client authenticates with ``Authorization`` on the
upgrade request or in ``connection_init``'s payload (browsers cannot set headers on a
WebSocket).

Close codes: 4400 a malformed message, 4401 ``subscribe`` before ``connection_ack``, 4403
credentials refused at ``connection_init`` or no longer valid (the token expired or its
client was revoked: checked every ``recheck_seconds``, so an open subscription ends within
the revocation window), 4408 no ``connection_init`` in time, 4409 an operation id in use,
4429 a second ``connection_init`` or too many failed tokens. An operation refused by the
pipeline (over its rate limit, the hub overloaded, a document refused) gets an ``error``
message with the refusal's ``extensions.code``; the connection stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.types import ExecutionResult

from hub.pipeline import Caller, Pipeline, remote_address
from hub.refusal import RATE_LIMITED, Refusal
from hub.requests import GraphQLParams, HttpError, object_params

PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT = 10.0
MAX_OPERATIONS = 100  # running at once on one connection

logger = logging.getLogger("hub.websocket")


class _Close(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class _Connection:
    websocket: WebSocket
    pipeline: Pipeline
    caller: Caller | None = None
    operations: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, message: dict[str, Any]) -> None:
        async with self.send_lock:
            if self.websocket.application_state is WebSocketState.CONNECTED:
                await self.websocket.send_text(orjson.dumps(message).decode())


class WebSocketEndpoint:
    """The ASGI app for WebSocket upgrades to /graphql."""

    def __init__(self, *, recheck_seconds: float) -> None:
        self.recheck_seconds = recheck_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if PROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.close(code=4406, reason="Subprotocol not acceptable")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        connection = _Connection(websocket, websocket.app.state.pipeline)
        watcher: asyncio.Task[None] | None = None
        try:
            async with asyncio.timeout(INIT_TIMEOUT):
                first = await _receive(websocket)
            await self._init(connection, first)
            watcher = asyncio.create_task(self._watch(connection))
            while True:
                await self._dispatch(connection, await _receive(websocket))
        except TimeoutError:
            await _close(websocket, 4408, "Connection initialisation timeout")
        except _Close as close:
            await _close(websocket, close.code, close.reason)
        except WebSocketDisconnect:
            pass
        finally:
            for task in [*connection.operations.values(), *([watcher] if watcher else [])]:
                task.cancel()
            for task in list(connection.operations.values()):
                with contextlib.suppress(BaseException):
                    await task

    async def _init(self, connection: _Connection, message: dict[str, Any]) -> None:
        if message.get("type") != "connection_init":
            raise _Close(4400, "Expected connection_init")
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            raise _Close(4400, "Invalid connection init payload")
        websocket = connection.websocket
        header = payload.get("Authorization") or payload.get("authorization")
        if not isinstance(header, str):
            header = websocket.headers.get("authorization")
        try:
            connection.caller = await connection.pipeline.authenticate(
                header, remote_address(websocket)
            )
        except Refusal as refusal:
            logger.info("WebSocket connection refused: %s", refusal.code)
            if refusal.code == RATE_LIMITED:
                raise _Close(4429, "Too many failed attempts") from None
            raise _Close(4403, "Forbidden") from None
        await connection.send({"type": "connection_ack"})

    async def _watch(self, connection: _Connection) -> None:
        """Close the connection once its credentials stop being valid."""
        caller = connection.caller
        if caller is None or caller.authorization is None:
            return
        while True:
            await asyncio.sleep(self.recheck_seconds)
            try:
                await connection.pipeline.still_valid(caller)
            except Refusal:
                logger.info("closing a WebSocket: its credentials are no longer valid")
                await _close(connection.websocket, 4403, "Forbidden")
                return

    async def _dispatch(self, connection: _Connection, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "ping":
            await connection.send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "connection_init":
            raise _Close(4429, "Too many initialisation requests")
        elif kind == "subscribe":
            await self._subscribe(connection, message)
        elif kind == "complete":
            task = connection.operations.pop(str(message.get("id")), None)
            if task is not None:
                task.cancel()
        else:
            raise _Close(4400, "Unknown message type")

    async def _subscribe(self, connection: _Connection, message: dict[str, Any]) -> None:
        operation_id, payload = message.get("id"), message.get("payload")
        if not isinstance(operation_id, str) or not operation_id or not isinstance(payload, dict):
            raise _Close(4400, "Invalid subscribe message")
        if operation_id in connection.operations:
            raise _Close(4409, f"Subscriber for {operation_id} already exists")
        try:
            params = object_params(payload)
        except HttpError as error:
            await _error(connection, operation_id, error.message, error.code)
            return
        if len(connection.operations) >= MAX_OPERATIONS:
            await _error(
                connection,
                operation_id,
                f"At most {MAX_OPERATIONS} operations run at once on one connection.",
                RATE_LIMITED,
            )
            return
        task = asyncio.create_task(self._run(connection, operation_id, params))
        connection.operations[operation_id] = task
        task.add_done_callback(lambda _: connection.operations.pop(operation_id, None))

    async def _run(self, connection: _Connection, operation_id: str, params: GraphQLParams) -> None:
        pipeline, caller = connection.pipeline, connection.caller
        assert caller is not None
        results = pipeline.stream(caller, params, connection.websocket)
        try:
            # A subscription holds an in-flight place while it starts, not while it lasts.
            async with pipeline.slot(caller):
                await pipeline.admit(caller)
                first = await anext(results, None)
            if first is not None and first.data is None and not _at_path(first):
                errors = first.errors or []
                await connection.send(
                    {"id": operation_id, "type": "error", "payload": [e.formatted for e in errors]}
                )
                return
            if first is not None:
                await connection.send(_next(operation_id, first))
                async for result in results:
                    await connection.send(_next(operation_id, result))
        except (Refusal, HttpError) as refused:
            await _error(connection, operation_id, refused.message, refused.code)
            return
        except Exception:
            logger.exception("unexpected failure running a WebSocket operation")
            await _error(
                connection, operation_id, "Internal server error.", "INTERNAL_SERVER_ERROR"
            )
            return
        finally:
            await results.aclose()
        await connection.send({"id": operation_id, "type": "complete"})


def _next(operation_id: str, result: ExecutionResult) -> dict[str, Any]:
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [error.formatted for error in result.errors]
    return {"id": operation_id, "type": "next", "payload": body}


def _at_path(result: ExecutionResult) -> bool:
    return any(error.path for error in result.errors or ())


async def _error(connection: _Connection, operation_id: str, message: str, code: str) -> None:
    error = GraphQLError(message, extensions={"code": code})
    await connection.send({"id": operation_id, "type": "error", "payload": [error.formatted]})


async def _receive(websocket: WebSocket) -> dict[str, Any]:
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    text = message.get("text")
    if text is None:
        raise _Close(4400, "WebSocket message type must be text")
    try:
        decoded = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise _Close(4400, "WebSocket message must be valid JSON") from None
    if not isinstance(decoded, dict):
        raise _Close(4400, "WebSocket message must be a JSON object")
    return decoded


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.application_state is WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code=code, reason=reason)
