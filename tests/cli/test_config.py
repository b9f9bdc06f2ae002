"""Connection settings: flags, then environment, then a profile; unsafe files refused."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cw_facade import SecretString, TicketDefaults
from cw_facade.cli._config import ConfigError, config_path, load_config, resolve

SECRET = "s3cr3t-private-key-value"
PROFILE = f"""
default_profile = "prod"

[profiles.prod]
base_url = "https://na.myconnectwise.net"
company = "prodco"
public_key = "prodpublic"
private_key = "{SECRET}"
client_id = "00000000-0000-4000-8000-000000000001"

[profiles.prod.defaults]
company_id = 250
board_id = 1

[profiles.staging]
base_url = "https://sandbox-na.myconnectwise.net"
company = "stageco"
codebase = "v2025_1"
"""


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write(tmp_path / "config.toml", PROFILE)


def test_the_default_profile_fills_everything(config: Path) -> None:
    settings = resolve({}, {}, path=config)
    assert settings.profile == "prod"
    assert settings.base_url == "https://na.myconnectwise.net"
    assert settings.company == "prodco"
    assert isinstance(settings.private_key, SecretString)
    assert settings.private_key.get_secret_value() == SECRET
    assert settings.defaults == TicketDefaults(company_id=250, board_id=1)
    assert settings.missing == []
    assert settings.sources["company"] == "profile prod"
    assert settings.secrets() == [SECRET]


def test_environment_beats_profile_and_flags_beat_environment(config: Path) -> None:
    env = {"CW_COMPANY": "envco", "CW_PUBLIC_KEY": "envpublic"}
    settings = resolve({"company": "flagco", "public_key": None}, env, path=config)
    assert settings.company == "flagco"
    assert settings.sources["company"] == "flag"
    assert settings.public_key == "envpublic"
    assert settings.sources["public_key"] == "env CW_PUBLIC_KEY"
    assert settings.sources["base_url"] == "profile prod"


def test_a_named_profile_from_the_flag_or_the_environment(config: Path) -> None:
    assert resolve({}, {}, profile="staging", path=config).company == "stageco"
    staging = resolve({}, {"CW_PROFILE": "staging"}, path=config)
    assert staging.codebase == "v2025_1"
    assert staging.missing == ["public_key", "private_key", "client_id"]


def test_an_unknown_explicit_profile_is_an_error(config: Path) -> None:
    with pytest.raises(ConfigError, match=r"no profile 'nope' .*profiles: prod, staging"):
        resolve({}, {}, profile="nope", path=config)


def test_no_file_means_environment_only(tmp_path: Path) -> None:
    env = {"CW_BASE_URL": "https://eu.myconnectwise.net", "CW_PRIVATE_KEY": SECRET}
    settings = resolve({}, env, path=tmp_path / "absent.toml")
    assert settings.profile is None
    assert settings.base_url == "https://eu.myconnectwise.net"
    assert settings.missing == ["company", "public_key", "client_id"]


def test_a_readable_key_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", PROFILE, mode=0o644)
    with pytest.raises(ConfigError) as caught:
        resolve({}, {}, path=path)
    assert "chmod 600" in str(caught.value)
    assert "0644" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_readable_file_without_keys_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", '[profiles.default]\ncompany = "x"\n', mode=0o644)
    assert resolve({}, {}, path=path).company == "x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("profiles = [", "not valid TOML"),
        ("profiles = 3", "must be tables"),
        ('[profiles.default]\ncolour = "red"', "unknown keys colour"),
        ("[profiles.default]\ncompany = 5", "company must be a string"),
        ("[profiles.default.defaults]\nfavourite = 1", "takes only"),
        ("[profiles.default.defaults]\nboard_id = -1", "defaults: board_id"),
    ],
)
def test_malformed_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError, match=message):
        resolve({}, {}, path=path)


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(folder)


def test_where_the_config_file_is(tmp_path: Path) -> None:
    assert config_path({"CW_CONFIG": "/x/y.toml"}) == Path("/x/y.toml")
    assert config_path({"XDG_CONFIG_HOME": "/xdg"}) == Path("/xdg/cw-facade/config.toml")
    home = config_path({"HOME": str(tmp_path)})
    assert home == tmp_path / ".config" / "cw-facade" / "config.toml"


def test_the_repr_shows_no_key(config: Path) -> None:
    settings = resolve({}, {}, path=config)
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert "prodco" in repr(settings)


def test_client_needs_every_setting(tmp_path: Path) -> None:
    settings = resolve({}, {"CW_COMPANY": "x"}, path=tmp_path / "none.toml")
    with pytest.raises(ConfigError) as caught:
        settings.client()
    message = str(caught.value)
    assert "--base-url / CW_BASE_URL" in message and "CW_PRIVATE_KEY" in message
    assert "company" not in message.split("missing connection settings:")[1].split(";")[0]


def test_client_uses_settings_and_defaults(config: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"version": "v2025.1"})

    settings = resolve({"codebase": "v2025_1"}, {}, path=config)
    with settings.client(transport=httpx.MockTransport(handler), timeout=5, max_retries=0) as c:
        assert c.ticket_defaults == TicketDefaults(company_id=250, board_id=1)
        assert c.max_retries == 0
        c.get("system/info")
    assert str(seen[0].url) == "https://api-na.myconnectwise.net/v2025_1/apis/3.0/system/info"
    assert seen[0].headers["clientId"] == "00000000-0000-4000-8000-000000000001"


def test_group_writable_is_refused_too(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", PROFILE, mode=0o620)
    with pytest.raises(ConfigError, match="0620"):
        load_config(path)
