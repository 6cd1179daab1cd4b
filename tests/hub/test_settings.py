"""Settings: defaults, TOML, environment over TOML, one clear error per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from connectors.registry import ConnectorConfig
from hub.settings import Settings, SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_reference_networks() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.database_url == "sqlite+aiosqlite:///var/hub.sqlite3"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.deadline == 2.0
    assert settings.max_page_size == 100
    assert settings.graphiql_enabled
    assert settings.connector_configs() == [
        ConnectorConfig("sejuk", "sejuk", "http://127.0.0.1:8101", {"api_key": "sejuk-dev-key"}),
        ConnectorConfig(
            "tangerang",
            "tangerang",
            "http://127.0.0.1:8102",
            {"client_id": "koperasi-hub", "secret": "tangerang-dev-secret"},
        ),
        ConnectorConfig(
            "padi",
            "padi",
            "http://127.0.0.1:8103",
            {"client_id": "koperasi-hub", "client_secret": "padi-dev-secret"},
        ),
    ]


def test_environment_variables() -> None:
    settings = load_settings(
        {
            "HUB_DATABASE_URL": "postgresql+asyncpg://hub@db/hub",
            "HUB_HOST": "0.0.0.0",
            "HUB_PORT": "9000",
            "HUB_ENVIRONMENT": "production",
            "HUB_DEADLINE": "0.5",
            "HUB_NETWORK_TIMEOUT": "0.4",
            "HUB_MAX_PAGE_SIZE": "50",
            "HUB_MAX_BODY_BYTES": "2048",
            "HUB_NETWORK_SEJUK_URL": "http://sejuk.internal:80",
            "HUB_NETWORK_PADI_CLIENT_SECRET": "from-vault",
            "HUB_INDEX_DIRECTORY_INTERVAL": "86400",
            "HUB_TEST_POSTGRES_URL": "ignored: not a setting",
        }
    )
    assert settings.index_directory_interval == 86_400
    assert settings.database_url == "postgresql+asyncpg://hub@db/hub"
    assert (settings.host, settings.port) == ("0.0.0.0", 9000)
    assert not settings.graphiql_enabled
    assert (settings.deadline, settings.network_timeout) == (0.5, 0.4)
    assert (settings.max_page_size, settings.max_body_bytes) == (50, 2048)
    configs = {c.code: c for c in settings.connector_configs()}
    assert configs["sejuk"].base_url == "http://sejuk.internal:80"
    assert configs["padi"].credentials["client_secret"] == "from-vault"
    assert configs["padi"].timeout == 0.4


def test_graphiql_can_be_forced_on_in_production() -> None:
    settings = load_settings({"HUB_ENVIRONMENT": "production", "HUB_GRAPHIQL": "true"})
    assert settings.graphiql_enabled


def test_toml_file_and_env_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        port = 8500
        deadline = 3
        environment = "production"

        [[networks]]
        code = "bandung"
        kind = "sejuk"
        base_url = "http://10.0.0.5:8101"
        credentials = { api_key = "k" }
        """,
    )
    settings = load_settings({"HUB_PORT": "8600"}, config_path=path)
    assert settings.port == 8600
    assert settings.deadline == 3.0
    assert settings.environment == "production"
    [config] = settings.connector_configs()
    assert (config.code, config.kind, config.base_url) == (
        "bandung",
        "sejuk",
        "http://10.0.0.5:8101",
    )


def test_hub_config_variable_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "max_page_size = 25\n")
    assert load_settings({"HUB_CONFIG": str(path)}).max_page_size == 25


def test_with_network_urls() -> None:
    settings = load_settings({}).with_network_urls({"padi": "http://127.0.0.1:9999"})
    assert [n.base_url for n in settings.networks][-1] == "http://127.0.0.1:9999"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"HUB_DEADLINE": "soon"}, "HUB_DEADLINE='soon': expected a number of seconds"),
        ({"HUB_DEADLINE": "-1"}, "deadline -1.0: must be a finite number greater than 0"),
        ({"HUB_DEADLINE": "nan"}, "deadline nan"),
        ({"HUB_INDEX_DIRECTORY_INTERVAL": "0"}, "index_directory_interval 0.0: must be"),
        ({"HUB_PORT": "80a"}, "HUB_PORT='80a': expected an integer port"),
        ({"HUB_PORT": "70000"}, "port 70000"),
        ({"HUB_ENVIRONMENT": "staging"}, "environment 'staging'"),
        ({"HUB_GRAPHIQL": "maybe"}, "HUB_GRAPHIQL='maybe': expected true or false"),
        ({"HUB_NETWORK_BOGOR_URL": "http://x"}, "HUB_NETWORK_BOGOR_URL: no network with that code"),
        ({"HUB_NETWORK_SEJUK_TOKEN": "x"}, "HUB_NETWORK_SEJUK_TOKEN: unknown network setting"),
        ({"HUB_NETWORK_SEJUK_URL": "sejuk:8101"}, "is not http(s)"),
        ({"HUB_NETWORK_SEJUK_API_KEY": ""}, "missing credential(s) api_key"),
        ({"HUB_CONFIG": "/nonexistent/hub.toml"}, "does not exist"),
    ],
)
def test_bad_environment_values(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("deadlin = 2\n", "unknown setting(s) deadlin"),
        ('deadline = "2s"\n', "deadline = '2s': expected a number of seconds"),
        ("port = true\n", "expected an integer port"),
        ("port = [\n", "not valid TOML"),
        ("networks = 3\n", "list of tables"),
        (
            '[[networks]]\ncode = "x"\nkind = "soap"\nbase_url = "http://x"\n',
            "unknown kind 'soap'",
        ),
        ('[[networks]]\ncode = "x"\nkind = "sejuk"\n', "base_url must be a non-empty string"),
        (
            '[[networks]]\ncode = "x"\nkind = "sejuk"\nbase_url = "http://x"\nurl = "y"\n',
            "unknown key(s) url",
        ),
        (
            '[[networks]]\ncode = "x"\nkind = "padi"\nbase_url = "http://x"\n'
            'credentials = { client_id = "a" }\n',
            "missing credential(s) client_secret",
        ),
        (
            '[[networks]]\ncode = "x"\nkind = "sejuk"\nbase_url = "http://x"\n'
            'credentials = { api_key = "k" }\n' * 2,
            "configured twice",
        ),
    ],
)
def test_bad_toml_values(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({}, config_path=write(tmp_path, text))
    assert fragment in str(caught.value)


def test_abuse_limit_settings_from_env_and_toml(tmp_path: Path) -> None:
    defaults = load_settings({})
    assert (defaults.max_depth, defaults.max_cost, defaults.default_list_size) == (10, 5000, 10)
    assert (defaults.max_aliases, defaults.max_root_fields, defaults.max_batch_size) == (20, 10, 10)
    assert (defaults.rate_limit, defaults.rate_limit_burst) == (10.0, 50)
    assert (defaults.redis_url, defaults.safelist, defaults.persisted_queries) == (None, None, True)
    path = write(
        tmp_path,
        'max_depth = 6\nrate_limit = 2\nredis_url = "redis://cache:6379/1"\nredis_prefix = "x"\n',
    )
    settings = load_settings(
        {"HUB_MAX_COST": "900", "HUB_PERSISTED_QUERIES": "off", "HUB_REDIS_URL": ""},
        config_path=path,
    )
    assert (settings.max_depth, settings.max_cost, settings.rate_limit) == (6, 900, 2.0)
    assert settings.redis_url is None  # an empty variable unsets the file's value
    assert settings.redis_prefix == "x"
    assert not settings.persisted_queries


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"HUB_MAX_DEPTH": "0"}, "max_depth 0: must be at least 1"),
        ({"HUB_MAX_COST": "lots"}, "HUB_MAX_COST='lots': expected an integer"),
        ({"HUB_MAX_BATCH_SIZE": "-1"}, "max_batch_size -1"),
        ({"HUB_RATE_LIMIT": "inf"}, "rate_limit inf"),
        ({"HUB_RATE_LIMIT_BURST": "0"}, "rate_limit_burst 0"),
        ({"HUB_REDIS_URL": "http://cache"}, "redis_url 'http://cache'"),
        ({"HUB_REDIS_PREFIX": ""}, "redis_prefix: must not be empty"),
        ({"HUB_PERSISTED_QUERIES_MAX": "0"}, "persisted_queries_max 0"),
    ],
)
def test_bad_abuse_limit_values(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert fragment in str(caught.value)
