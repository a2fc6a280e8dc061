"""Settings: option > DOCREPO_<NAME> > docrepo.toml > default, and precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from docrepo.config import SETTING_NAMES, Settings, load_settings
from docrepo.errors import ConfigError


def write_toml(directory: Path, text: str) -> Path:
    path = directory / "docrepo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults(tmp_path: Path) -> None:
    """With no option, variable or file, every setting has its documented default."""
    settings = load_settings({}, {}, tmp_path)
    assert settings == Settings()
    assert settings.content == Path("./content")
    assert settings.index == Path("./index")
    assert (settings.cors_origins, settings.trusted_proxies, settings.base_url) == ((), (), "")
    assert set(SETTING_NAMES) >= {"content", "index", "cors_origins", "trusted_proxies", "base_url"}


def test_precedence_option_env_file_default(tmp_path: Path) -> None:
    """An option beats the environment, which beats docrepo.toml, which beats the default."""
    write_toml(tmp_path, 'content = "from-file"\nindex = "index-from-file"\n')
    env = {"DOCREPO_CONTENT": "from-env"}
    assert load_settings({"content": Path("from-option")}, env, tmp_path).content == Path(
        "from-option"
    )
    assert load_settings({"content": None}, env, tmp_path).content == Path("from-env")
    assert load_settings({}, {}, tmp_path).content == Path("from-file")
    assert load_settings({}, env, tmp_path).index == Path("index-from-file")
    assert load_settings({}, {}, tmp_path / "elsewhere").content == Path("content")


def test_environment_is_read_from_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an explicit mapping, DOCREPO_<NAME> variables come from the process environment."""
    monkeypatch.setenv("DOCREPO_BASE_URL", "https://docs.example.org/")
    monkeypatch.setenv("DOCREPO_INDEX", "/srv/docrepo/index")
    settings = load_settings(directory=tmp_path)
    assert settings.base_url == "https://docs.example.org"
    assert settings.index == Path("/srv/docrepo/index")


def test_docrepo_toml_in_the_working_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an explicit directory, docrepo.toml is looked up in the working directory."""
    write_toml(tmp_path, 'base_url = "https://docs.example.org"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings().base_url == "https://docs.example.org"


def test_lists_from_the_environment_are_comma_separated(tmp_path: Path) -> None:
    """List settings given in the environment are split on commas, blanks trimmed."""
    env = {
        "DOCREPO_CORS_ORIGINS": "https://intranet.example.org, http://localhost:8080,",
        "DOCREPO_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/8 , ::1",
    }
    settings = load_settings({}, env, tmp_path)
    assert settings.cors_origins == ("https://intranet.example.org", "http://localhost:8080")
    assert settings.trusted_proxies == ("127.0.0.1", "10.0.0.0/8", "::1")


def test_lists_from_docrepo_toml(tmp_path: Path) -> None:
    """List settings in docrepo.toml are TOML arrays."""
    write_toml(
        tmp_path,
        'cors_origins = ["https://a.example.org", "https://b.example.org:8443"]\n'
        'trusted_proxies = ["192.168.1.0/24"]\n',
    )
    settings = load_settings({}, {}, tmp_path)
    assert settings.cors_origins == ("https://a.example.org", "https://b.example.org:8443")
    assert settings.trusted_proxies == ("192.168.1.0/24",)


def test_empty_environment_list_overrides_the_file(tmp_path: Path) -> None:
    """An empty DOCREPO_CORS_ORIGINS still takes precedence and means no origin."""
    write_toml(tmp_path, 'cors_origins = ["https://a.example.org"]\n')
    assert load_settings({}, {"DOCREPO_CORS_ORIGINS": ""}, tmp_path).cors_origins == ()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("cors_origins", "intranet.example.org", "scheme://host"),
        ("cors_origins", "https://intranet.example.org/search", "scheme://host"),
        ("cors_origins", "ftp://intranet.example.org", "scheme://host"),
        ("trusted_proxies", "proxy.example.org", "IP address or CIDR"),
        ("trusted_proxies", "10.0.0.0/33", "IP address or CIDR"),
        ("base_url", "docs.example.org", "http(s)://"),
        ("base_url", "ftp://docs.example.org", "http(s)://"),
    ],
    ids=[
        "origin-no-scheme",
        "origin-with-path",
        "origin-ftp",
        "proxy-hostname",
        "proxy-bad-cidr",
        "base-url-no-scheme",
        "base-url-ftp",
    ],
)
def test_bad_value_names_setting_value_and_expectation(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    """A wrong value stops with a ConfigError naming the setting, the value and what is expected."""
    with pytest.raises(ConfigError) as caught:
        load_settings({}, {f"DOCREPO_{name.upper()}": value}, tmp_path)
    message = str(caught.value)
    assert repr(name) in message
    assert repr(value) in message
    assert expected in message


@pytest.mark.parametrize("source", ["option", "env", "file"])
def test_bad_value_is_caught_from_every_source(tmp_path: Path, source: str) -> None:
    """A bad base_url is refused whether it comes from an option, the environment or the file."""
    value = "docs.example.org"
    options: dict[str, object] = {}
    env: dict[str, str] = {}
    if source == "option":
        options["base_url"] = value
    elif source == "env":
        env["DOCREPO_BASE_URL"] = value
    else:
        write_toml(tmp_path, f'base_url = "{value}"\n')
    with pytest.raises(ConfigError, match="base_url"):
        load_settings(options, env, tmp_path)


def test_wrong_toml_type_is_an_error(tmp_path: Path) -> None:
    """A TOML value of the wrong type (a number for a list) names the setting and the value."""
    write_toml(tmp_path, "cors_origins = 5\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({}, {}, tmp_path)
    assert "'cors_origins'" in str(caught.value) and "5" in str(caught.value)


def test_unknown_key_in_docrepo_toml_is_an_error(tmp_path: Path) -> None:
    """A misspelt key in docrepo.toml is an error naming the file, the key and the known keys."""
    path = write_toml(tmp_path, 'cors_origin = ["https://a.example.org"]\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, {}, tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert "'cors_origin'" in message
    assert "cors_origins" in message


def test_bad_toml_is_an_error(tmp_path: Path) -> None:
    """A docrepo.toml that is not TOML is an error naming the file and the place of the fault."""
    path = write_toml(tmp_path, 'content = "content"\nindex = \n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, {}, tmp_path)
    message = str(caught.value)
    assert str(path) in message and "TOML" in message and "line 2" in message


def test_config_error_is_a_usage_error() -> None:
    """A ConfigError ends the program with the usage exit status 2."""
    assert ConfigError.exit_code == 2


def test_editor_groups_default_to_editors_and_take_a_list(tmp_path: Path) -> None:
    """`editor_groups` (SPEC §1): `editors` by default, a list from the environment
    (comma-separated) or from docrepo.toml, empty when set to nothing."""
    assert load_settings({}, {}, tmp_path).editor_groups == ("editors",)
    env = {"DOCREPO_EDITOR_GROUPS": "redaction, drh-editors"}
    assert load_settings({}, env, tmp_path).editor_groups == ("redaction", "drh-editors")
    write_toml(tmp_path, 'editor_groups = ["redaction"]\n')
    assert load_settings({}, {}, tmp_path).editor_groups == ("redaction",)
    assert load_settings({}, {"DOCREPO_EDITOR_GROUPS": ""}, tmp_path).editor_groups == ()
