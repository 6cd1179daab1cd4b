"""Server-sent events, parsed line by line as the HTML standard's event stream says.

Fields are ``name: value`` (one space after the colon is dropped; a line without a colon
is a field with an empty value); a line starting with ``:`` is a comment; ``data`` lines
join with newlines; a blank line dispatches the event. The last event id carries over to
later events until another ``id`` sets it, and an event cut off by the end of the stream
is never dispatched, so a resume asks for it again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    event: str
    data: str
    id: str


class EventParser:
    """Feed it lines without their line endings; it returns each complete event."""

    def __init__(self, last_event_id: str = "") -> None:
        self.last_event_id = last_event_id
        self.retry_ms: int | None = None
        self._pending_id = last_event_id
        self._event = ""
        self._data: list[str] = []
        self._first = True

    def feed(self, line: str) -> ServerSentEvent | None:
        """The event ``line`` completes, if it is the blank line ending one with data."""
        if self._first:
            self._first = False
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._pending_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        self.last_event_id = self._pending_id
        data, event = self._data, self._event or "message"
        self._data, self._event = [], ""
        if not data:
            return None
        return ServerSentEvent(event=event, data="\n".join(data), id=self.last_event_id)
