"""The hub's settings: one frozen object from ``HUB_*`` variables and an optional TOML file.

Precedence, highest first: environment variables, the TOML file (``--config`` or
``HUB_CONFIG``), the defaults below. Any bad value stops the hub at start with one
``SettingsError`` that names the setting and what it expected.

==============================  ===================================  ============================
TOML key                        environment variable                 default
==============================  ===================================  ============================
``database_url``                ``HUB_DATABASE_URL``                 ``sqlite+aiosqlite:///var/hub.sqlite3``
``host``                        ``HUB_HOST``                         ``127.0.0.1``
``port``                        ``HUB_PORT``                         ``8000``
``environment``                 ``HUB_ENVIRONMENT``                  ``development``
``graphiql``                    ``HUB_GRAPHIQL``                     on in development only
``introspection``               ``HUB_INTROSPECTION``                on in development only
``deadline``                    ``HUB_DEADLINE``                     ``2.0`` s (whole fan-out)
``network_timeout``             ``HUB_NETWORK_TIMEOUT``              ``2.0`` s (each request)
``max_page_size``               ``HUB_MAX_PAGE_SIZE``                ``100``
``max_body_bytes``              ``HUB_MAX_BODY_BYTES``               ``1048576``
``migrate_on_start``            ``HUB_MIGRATE_ON_START``             ``true``
``max_depth``                   ``HUB_MAX_DEPTH``                    ``10`` fields on a path
``max_cost``                    ``HUB_MAX_COST``                     ``5000`` (see ``hub.limits``)
``default_list_size``           ``HUB_DEFAULT_LIST_SIZE``            ``10`` (lists without ``first``)
``max_aliases``                 ``HUB_MAX_ALIASES``                  ``20``
``max_root_fields``             ``HUB_MAX_ROOT_FIELDS``              ``10``
``max_query_chars``             ``HUB_MAX_QUERY_CHARS``              ``32768`` characters in a document
``max_tokens``                  ``HUB_MAX_TOKENS``                   ``1000`` tokens in a document
``max_directives``              ``HUB_MAX_DIRECTIVES``               ``50`` directives in a document
``max_fields``                  ``HUB_MAX_FIELDS``                   ``250`` fields in a document
``max_in_flight``               ``HUB_MAX_IN_FLIGHT``                ``16`` operations at once (0: no cap)
``header_timeout``              ``HUB_HEADER_TIMEOUT``               ``5`` s to send a request's headers
``body_timeout``                ``HUB_BODY_TIMEOUT``                 ``5`` s to send a request's body
``cache_bytes``                 ``HUB_CACHE_BYTES``                  ``16777216``: each cache's size
``max_batch_size``              ``HUB_MAX_BATCH_SIZE``               ``10`` operations (0: no batches)
``rate_limit``                  ``HUB_RATE_LIMIT``                   ``10`` per second per client (0: off)
``rate_limit_burst``            ``HUB_RATE_LIMIT_BURST``             ``50``
``redis_url``                   ``HUB_REDIS_URL``                    none: state in each replica
``redis_prefix``                ``HUB_REDIS_PREFIX``                 ``hub``
``persisted_queries``           ``HUB_PERSISTED_QUERIES``            ``true`` (automatic persisted queries)
``persisted_queries_max``       ``HUB_PERSISTED_QUERIES_MAX``        ``1000`` kept in memory
``safelist``                    ``HUB_SAFELIST``                     none; a path turns safelist mode on
``auth_required``               ``HUB_AUTH_REQUIRED``                ``true``; only ``hub demo`` runs open
``auth_issuer``                 ``HUB_AUTH_ISSUER``                  ``http://<host>:<port>``
``auth_audience``               ``HUB_AUTH_AUDIENCE``                ``koperasi-hub``
``auth_token_ttl``              ``HUB_AUTH_TOKEN_TTL``               ``900`` s (access token lifetime)
``auth_keys_dir``               ``HUB_AUTH_KEYS_DIR``                ``var/keys`` (first key made at start)
``auth_client_cache``           ``HUB_AUTH_CLIENT_CACHE``            ``5.0`` s a revocation may take to bite
``auth_failure_rate``           ``HUB_AUTH_FAILURE_RATE``            ``0.1`` failures a second forgiven
``auth_failure_burst``          ``HUB_AUTH_FAILURE_BURST``           ``10`` failures before 429
``auth_hash_concurrency``       ``HUB_AUTH_HASH_CONCURRENCY``        ``2`` secret checks at once
``auth_external_issuer``        ``HUB_AUTH_EXTERNAL_ISSUER``         none: only the hub's own tokens
``auth_external_jwks_url`     ` ``HUB_AUTH_EXTERNAL_JWKS_URL``       none (set with the issuer)
``auth_external_audience`     ` ``HUB_AUTH_EXTERNAL_AUDIENCE``       ``auth_audience``
``index``                       ``HUB_INDEX``                        ``true``: search from the catalog index
``index_sync_interval``         ``HUB_INDEX_SYNC_INTERVAL``          ``60`` s between incremental syncs
``index_stale_after``           ``HUB_INDEX_STALE_AFTER``            3 × the sync interval
``index_directory_interval``    ``HUB_INDEX_DIRECTORY_INTERVAL``     ``3600`` s between re-reads of
                                                                     suppliers and cooperatives
``[[networks]]``                ``HUB_NETWORK_<CODE>_URL``,          the three reference networks
                                ``HUB_NETWORK_<CODE>_<CREDENTIAL>``
==============================  ===================================  ============================

A ``[[networks]]`` table list in TOML replaces the default list; each entry has ``code``,
``kind`` (sejuk | tangerang | padi), ``base_url`` and a ``credentials`` table.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from connectors.registry import ConnectorConfig
from hub.persisted import SafelistError, load_safelist

T = TypeVar("T")

ENVIRONMENTS = ("development", "production")

# The credentials each kind of network needs: what the hub is registered with there.
CREDENTIAL_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "sejuk": ("api_key",),
        "tangerang": ("client_id", "secret"),
        "padi": ("client_id", "client_secret"),
    }
)


class SettingsError(ValueError):
    """A setting is missing, misspelt or has a value of the wrong kind."""


@dataclass(frozen=True)
class NetworkSettings:
    """One network the hub federates: its code in the graph, API kind, URL and credentials."""

    code: str
    kind: str
    base_url: str
    credentials: Mapping[str, str] = field(default_factory=dict)


def reference_networks() -> tuple[NetworkSettings, ...]:
    """The three reference networks on their default ports, with their dev credentials."""
    return (
        NetworkSettings("sejuk", "sejuk", "http://127.0.0.1:8101", {"api_key": "sejuk-dev-key"}),
        NetworkSettings(
            "tangerang",
            "tangerang",
            "http://127.0.0.1:8102",
            {"client_id": "koperasi-hub", "secret": "tangerang-dev-secret"},
        ),
        NetworkSettings(
            "padi",
            "padi",
            "http://127.0.0.1:8103",
            {"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"},
        ),
    )


@dataclass(frozen=True)
class Settings:
    """Everything the hub process is configured with; build it with ``load_settings``."""

    database_url: str = "sqlite+aiosqlite:///var/hub.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8000
    environment: str = "development"
    graphiql: bool | None = None  # None: on in development, off in production
    introspection: bool | None = None  # None: on in development, off in production
    deadline: float = 2.0
    network_timeout: float = 2.0
    max_page_size: int = 100
    max_body_bytes: int = 1_048_576
    # Bring the database schema up to date when the hub starts (``hub db upgrade`` does it
    # by hand); off when several replicas start at once and a release step migrates.
    migrate_on_start: bool = True
    max_depth: int = 10
    max_cost: int = 5000
    default_list_size: int = 10
    max_aliases: int = 20
    max_root_fields: int = 10
    # Bounds on the document itself, checked while it is parsed (hub.documents).
    max_query_chars: int = 32_768
    max_tokens: int = 1000
    max_directives: int = 50
    max_fields: int = 250
    max_batch_size: int = 10
    # Load shedding: operations running at once in this process, past which 503 OVERLOADED.
    max_in_flight: int = 16
    header_timeout: float = 5.0
    body_timeout: float = 5.0
    # Each in-memory cache (documents, validation, persisted queries) holds at most this.
    cache_bytes: int = 16 * 1024 * 1024
    rate_limit: float = 10.0
    rate_limit_burst: int = 50
    redis_url: str | None = None
    redis_prefix: str = "hub"
    persisted_queries: bool = True
    persisted_queries_max: int = 1000
    # A JSON map of sha256 -> query, or a folder of .graphql files: only these run.
    safelist: str | None = None
    # Partner apps (hub.auth): a token is required unless this is False (as in hub demo);
    # None is "not said", which hub demo takes as open and everything else as required.
    auth_required: bool | None = None
    auth_issuer: str | None = None
    auth_audience: str = "koperasi-hub"
    auth_token_ttl: int = 900
    auth_keys_dir: str = "var/keys"
    auth_client_cache: float = 5.0
    # Failed tokens and client secrets, per remote address and per client id: a bucket.
    auth_failure_rate: float = 0.1
    auth_failure_burst: int = 10
    auth_hash_concurrency: int = 2
    auth_external_issuer: str | None = None
    auth_external_jwks_url: str | None = None
    auth_external_audience: str | None = None
    # The catalog index (federation.index): search answers from it once loaded; off, every
    # search fans out live.
    index: bool = True
    index_sync_interval: float = 60.0
    index_stale_after: float | None = None  # None: three sync intervals
    index_directory_interval: float = 3600.0
    networks: tuple[NetworkSettings, ...] = field(default_factory=reference_networks)

    @property
    def graphiql_enabled(self) -> bool:
        """Whether GET /graphql with ``Accept: text/html`` serves GraphiQL."""
        if self.graphiql is None:
            return self.environment == "development"
        return self.graphiql

    @property
    def introspection_enabled(self) -> bool:
        """Whether the schema answers ``__schema`` / ``__type`` queries."""
        if self.introspection is None:
            return self.environment == "development"
        return self.introspection

    @property
    def auth_required_enabled(self) -> bool:
        """Whether /graphql (HTTP and WebSocket) refuses requests without a valid token:
        always, unless ``auth_required`` is explicitly False (``hub demo`` runs open)."""
        return self.auth_required is not False

    @property
    def stale_after(self) -> float:
        """Seconds after its last successful sync a network's part of the index is stale."""
        if self.index_stale_after is None:
            return 3 * self.index_sync_interval
        return self.index_stale_after

    @property
    def token_issuer(self) -> str:
        """The ``iss`` of the hub's access tokens and its OAuth metadata: ``auth_issuer``,
        else the hub's own URL (``hub serve`` sets ``host``/``port`` to the bound socket's,
        ``hub.app.served_at``, so ``--port`` and ``--port 0`` are what it names)."""
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        return self.auth_issuer or f"http://{host}:{self.port}"

    def connector_configs(self) -> list[ConnectorConfig]:
        """One ``ConnectorConfig`` per network, in the configured order."""
        return [
            ConnectorConfig(
                code=net.code,
                kind=net.kind,
                base_url=net.base_url,
                credentials=dict(net.credentials),
                timeout=self.network_timeout,
            )
            for net in self.networks
        ]

    def with_network_urls(self, urls: Mapping[str, str]) -> Settings:
        """A copy whose networks named in ``urls`` (code to base URL) point elsewhere."""
        networks = tuple(
            replace(net, base_url=urls.get(net.code, net.base_url)) for net in self.networks
        )
        return replace(self, networks=networks)


_SCALARS = ("database_url", "host", "port", "environment", "graphiql", "introspection", "deadline",
            "network_timeout", "max_page_size", "max_body_bytes",
            "migrate_on_start", "max_depth", "max_cost", "default_list_size", "max_aliases",
            "max_root_fields", "max_query_chars", "max_tokens", "max_directives", "max_fields", "max_batch_size",
            "max_in_flight", "header_timeout", "body_timeout", "cache_bytes", "rate_limit", "rate_limit_burst", "redis_url",
            "redis_prefix", "persisted_queries", "persisted_queries_max",
            "safelist", "auth_required", "auth_issuer", "auth_audience", "auth_token_ttl",
            "auth_keys_dir", "auth_client_cache", "auth_failure_rate", "auth_failure_burst",
            "auth_hash_concurrency", "auth_external_issuer",
            "auth_external_jwks_url", "auth_external_audience", "index",
            "index_sync_interval", "index_stale_after",
            "index_directory_interval")  # fmt: skip


def load_settings(
    env: Mapping[str, str] | None = None, config_path: Path | str | None = None
) -> Settings:
    """Settings from ``env`` (default ``os.environ``) over the TOML file over the defaults.

    ``config_path`` wins over ``HUB_CONFIG``. Raises ``SettingsError`` on any bad value.
    """
    env = os.environ if env is None else env
    path = config_path if config_path is not None else env.get("HUB_CONFIG") or None
    values: dict[str, Any] = {}
    networks = reference_networks()
    if path is not None:
        table = _read_toml(Path(path))
        unknown = sorted(set(table) - {*_SCALARS, "networks"})
        if unknown:
            raise SettingsError(
                f"{path}: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join((*_SCALARS, 'networks'))}"
            )
        for name in _SCALARS:
            if name in table:
                values[name] = _from_toml(name, table[name], f"{path}: {name}")
        if "networks" in table:
            networks = _networks_from_toml(table["networks"], str(path))
    for name in _SCALARS:
        variable = f"HUB_{name.upper()}"
        if variable in env:
            values[name] = _from_env(name, env[variable], variable)
    settings = Settings(**values, networks=_networks_from_env(networks, env))
    _check(settings)
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path} is not valid TOML: {error}") from None


def _optional(text: str) -> str | None:
    """An optional string: empty means not set."""
    return text or None


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


_ENV_PARSERS: Mapping[str, tuple[Callable[[str], Any], str]] = {
    "database_url": (str, "a URL"),
    "host": (str, "a host name or address"),
    "port": (int, "an integer port"),
    "environment": (str, "development or production"),
    "graphiql": (_parse_bool, "true or false"),
    "introspection": (_parse_bool, "true or false"),
    "deadline": (float, "a number of seconds"),
    "network_timeout": (float, "a number of seconds"),
    "max_page_size": (int, "an integer"),
    "max_body_bytes": (int, "an integer number of bytes"),
    "migrate_on_start": (_parse_bool, "true or false"),
    "max_depth": (int, "an integer"),
    "max_cost": (int, "an integer"),
    "default_list_size": (int, "an integer"),
    "max_aliases": (int, "an integer"),
    "max_root_fields": (int, "an integer"),
    "max_query_chars": (int, "an integer number of characters"),
    "max_tokens": (int, "an integer"),
    "max_directives": (int, "an integer"),
    "max_fields": (int, "an integer"),
    "max_batch_size": (int, "an integer (0: no batches)"),
    "max_in_flight": (int, "an integer (0: no cap)"),
    "header_timeout": (float, "a number of seconds"),
    "body_timeout": (float, "a number of seconds"),
    "cache_bytes": (int, "an integer number of bytes"),
    "rate_limit": (float, "a number of requests per second (0: off)"),
    "rate_limit_burst": (int, "an integer"),
    "redis_url": (_optional, "a redis:// URL"),
    "redis_prefix": (str, "a key prefix"),
    "persisted_queries": (_parse_bool, "true or false"),
    "persisted_queries_max": (int, "an integer"),
    "safelist": (_optional, "a path to a JSON file or a folder of .graphql files"),
    "auth_required": (_parse_bool, "true or false"),
    "auth_issuer": (_optional, "an http(s) URL"),
    "auth_audience": (str, "an audience name"),
    "auth_token_ttl": (int, "an integer number of seconds"),
    "auth_keys_dir": (str, "a folder path"),
    "auth_client_cache": (float, "a number of seconds (0: no cache)"),
    "auth_failure_rate": (float, "a number of failures per second"),
    "auth_failure_burst": (int, "an integer"),
    "auth_hash_concurrency": (int, "an integer"),
    "auth_external_issuer": (_optional, "an issuer URL"),
    "auth_external_jwks_url": (_optional, "an http(s) URL"),
    "auth_external_audience": (_optional, "an audience name"),
    "index": (_parse_bool, "true or false"),
    "index_sync_interval": (float, "a number of seconds"),
    "index_stale_after": (float, "a number of seconds"),
    "index_directory_interval": (float, "a number of seconds"),
}


def _from_env(name: str, text: str, where: str) -> Any:
    parse, expected = _ENV_PARSERS[name]
    try:
        return parse(text)
    except ValueError:
        raise SettingsError(f"{where}={text!r}: expected {expected}") from None


def _from_toml(name: str, value: Any, where: str) -> Any:
    parse, expected = _ENV_PARSERS[name]
    if parse is str or parse is _optional:
        ok = isinstance(value, str)
        value = parse(value) if ok else value
    elif parse is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif parse is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, bool)
    if not ok:
        raise SettingsError(f"{where} = {value!r}: expected {expected}")
    return value


def _networks_from_toml(value: Any, where: str) -> tuple[NetworkSettings, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SettingsError(f"{where}: networks must be a list of tables ([[networks]])")
    networks = []
    for index, entry in enumerate(value):
        spot = f"{where}: networks[{index}]"
        unknown = sorted(set(entry) - {"code", "kind", "base_url", "credentials"})
        if unknown:
            raise SettingsError(f"{spot}: unknown key(s) {', '.join(unknown)}")
        for key in ("code", "kind", "base_url"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise SettingsError(f"{spot}: {key} must be a non-empty string")
        credentials = entry.get("credentials", {})
        if not isinstance(credentials, dict) or not all(
            isinstance(v, str) for v in credentials.values()
        ):
            raise SettingsError(f"{spot}: credentials must be a table of strings")
        networks.append(
            NetworkSettings(entry["code"], entry["kind"], entry["base_url"], dict(credentials))
        )
    return tuple(networks)


def _networks_from_env(
    networks: tuple[NetworkSettings, ...], env: Mapping[str, str]
) -> tuple[NetworkSettings, ...]:
    """Apply ``HUB_NETWORK_<CODE>_URL`` and ``HUB_NETWORK_<CODE>_<CREDENTIAL>``."""
    by_prefix = {f"HUB_NETWORK_{net.code.upper()}_": net for net in networks}
    updated = {net.code: net for net in networks}
    for variable, text in env.items():
        if not variable.startswith("HUB_NETWORK_") or variable == "HUB_NETWORK_TIMEOUT":
            continue
        matches = [prefix for prefix in by_prefix if variable.startswith(prefix)]
        if not matches:
            codes = ", ".join(net.code for net in networks)
            raise SettingsError(f"{variable}: no network with that code (configured: {codes})")
        net = by_prefix[max(matches, key=len)]
        key = variable[len(max(matches, key=len)) :].lower()
        current = updated[net.code]
        if key == "url":
            updated[net.code] = replace(current, base_url=text)
        elif key in CREDENTIAL_KEYS.get(net.kind, ()):
            updated[net.code] = replace(current, credentials={**current.credentials, key: text})
        else:
            known = ", ".join(("url", *CREDENTIAL_KEYS.get(net.kind, ()))).upper()
            raise SettingsError(f"{variable}: unknown network setting; expected one of {known}")
    return tuple(updated[net.code] for net in networks)


def _check(settings: Settings) -> None:
    if settings.environment not in ENVIRONMENTS:
        raise SettingsError(
            f"environment {settings.environment!r}: expected development or production"
        )
    if not 0 <= settings.port <= 65535:
        raise SettingsError(f"port {settings.port}: expected 0-65535")
    positive = ("deadline", "network_timeout", "max_page_size", "max_body_bytes",
                "header_timeout", "body_timeout", "auth_failure_rate")  # fmt: skip
    for name in (*positive, "index_sync_interval", "stale_after", "index_directory_interval"):
        value = getattr(settings, name)
        if not (math.isfinite(value) and value > 0):
            raise SettingsError(f"{name} {value}: must be a finite number greater than 0")
    _check_limits(settings)
    _check_auth(settings)
    seen: set[str] = set()
    for net in settings.networks:
        if net.code in seen:
            raise SettingsError(f"network {net.code!r} is configured twice")
        seen.add(net.code)
        if net.kind not in CREDENTIAL_KEYS:
            raise SettingsError(
                f"network {net.code!r}: unknown kind {net.kind!r}; "
                f"expected one of {', '.join(CREDENTIAL_KEYS)}"
            )
        if not net.base_url.startswith(("http://", "https://")):
            raise SettingsError(f"network {net.code!r}: base_url {net.base_url!r} is not http(s)")
        missing = [k for k in CREDENTIAL_KEYS[net.kind] if not net.credentials.get(k)]
        if missing:
            raise SettingsError(f"network {net.code!r}: missing credential(s) {', '.join(missing)}")


def _check_limits(settings: Settings) -> None:
    for name in ("max_depth", "max_cost", "default_list_size", "max_aliases",
                 "max_root_fields", "persisted_queries_max", "max_tokens", "max_directives",
                 "max_fields", "max_query_chars", "cache_bytes",
                 "auth_failure_burst", "auth_hash_concurrency"):  # fmt: skip
        if getattr(settings, name) < 1:
            raise SettingsError(f"{name} {getattr(settings, name)}: must be at least 1")
    if settings.max_in_flight < 0:
        raise SettingsError(f"max_in_flight {settings.max_in_flight}: must be 0 or more")
    if settings.max_batch_size < 0:
        raise SettingsError(f"max_batch_size {settings.max_batch_size}: must be 0 or more")
    rate = settings.rate_limit
    if not (math.isfinite(rate) and rate >= 0):
        raise SettingsError(f"rate_limit {rate}: must be a finite number, 0 or more")
    if rate > 0 and settings.rate_limit_burst < max(1, settings.max_batch_size):
        raise SettingsError(
            f"rate_limit_burst {settings.rate_limit_burst}: must be at least 1 and at least "
            f"max_batch_size ({settings.max_batch_size}), or a full batch could never run"
        )
    url = settings.redis_url
    if url is not None and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"redis_url {url!r}: expected redis://, rediss:// or unix://")
    if not settings.redis_prefix:
        raise SettingsError("redis_prefix: must not be empty")
    if settings.safelist is not None:
        try:
            load_safelist(Path(settings.safelist))
        except SafelistError as error:
            raise SettingsError(str(error)) from None


def _check_auth(settings: Settings) -> None:
    if settings.auth_issuer is not None and not settings.auth_issuer.startswith(
        ("http://", "https://")
    ):
        raise SettingsError(f"auth_issuer {settings.auth_issuer!r}: expected an http(s) URL")
    if settings.auth_issuer is not None and settings.auth_issuer.endswith("/"):
        raise SettingsError(f"auth_issuer {settings.auth_issuer!r}: leave out the trailing /")
    if not settings.auth_audience:
        raise SettingsError("auth_audience: must not be empty")
    if not 60 <= settings.auth_token_ttl <= 86_400:
        raise SettingsError(
            f"auth_token_ttl {settings.auth_token_ttl}: expected 60 to 86400 seconds"
        )
    if not settings.auth_keys_dir:
        raise SettingsError("auth_keys_dir: must not be empty")
    cache = settings.auth_client_cache
    if not (math.isfinite(cache) and 0 <= cache <= 300):
        raise SettingsError(f"auth_client_cache {cache}: expected 0 to 300 seconds")
    issuer, url = settings.auth_external_issuer, settings.auth_external_jwks_url
    if (issuer is None) != (url is None):
        raise SettingsError("auth_external_issuer and auth_external_jwks_url: set both or neither")
    if url is not None and not url.startswith(("http://", "https://")):
        raise SettingsError(f"auth_external_jwks_url {url!r}: expected an http(s) URL")
    if issuer is not None and issuer == settings.token_issuer:
        raise SettingsError(f"auth_external_issuer {issuer!r} is the hub's own issuer")
