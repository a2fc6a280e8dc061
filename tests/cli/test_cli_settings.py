"""Every setting is an option of the commands that use it, with the settings table's help;
wrong values are all reported at once."""

from __future__ import annotations

import socket
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from docrepo.cli import main
from docrepo.config import SETTINGS_HELP, load_settings
from docrepo.errors import ConfigError

WEB_SETTINGS = ("cors_origins", "trusted_proxies", "base_url", "allowed_hosts")


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_serve_takes_every_setting_as_an_option_with_its_help() -> None:
    """`docrepo serve --help` lists each setting's option and the help of the table."""
    result = run("serve", "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for name, setting in SETTINGS_HELP.items():
        assert setting.option in text, name
        assert setting.help[0].upper() + setting.help[1:] in text, name
    assert "Public URL of the site, for feeds, OpenSearch" in text


@pytest.mark.parametrize("command", ["check", "index", "search", "watch", "new"])
def test_every_command_takes_the_locations(command: str) -> None:
    """Each command takes --content and --index, and none offers the web's settings."""
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "--content" in result.output and "--index" in result.output
    assert "--cors-origins" not in result.output


def test_options_reach_the_web_workers_through_their_environment(tmp_path: Path) -> None:
    """The settings `serve` hands its workers read back as the same settings."""
    settings = load_settings(
        {
            "content": tmp_path / "c",
            "index": tmp_path / "i",
            "cors_origins": "https://a.example.org,https://b.example.org",
            "trusted_proxies": "127.0.0.1",
            "base_url": "https://docs.example.org",
            "allowed_hosts": "docs.example.org",
        },
        {},
        tmp_path,
    )
    again = load_settings({}, settings.environment(), tmp_path)
    assert again == settings
    assert again.cors_origins == ("https://a.example.org", "https://b.example.org")


def test_every_wrong_setting_is_reported_at_once(tmp_path: Path) -> None:
    """Two wrong values give one error naming both, not the first alone."""
    env = {"DOCREPO_BASE_URL": "ftp://docs", "DOCREPO_CORS_ORIGINS": "not-an-origin"}
    with pytest.raises(ConfigError) as caught:
        load_settings({}, env, tmp_path)
    assert len(caught.value.messages) == 2
    assert "'base_url'" in str(caught.value) and "'cors_origins'" in str(caught.value)
    result = run("check", "--content", tmp_path, env=env)
    assert result.exit_code == 2
    assert "'base_url'" in result.output and "'cors_origins'" in result.output
    assert "Traceback" not in result.output


def test_a_wrong_option_of_serve_is_a_usage_error(tmp_path: Path) -> None:
    """`--trusted-proxies` with something that is no address stops serve before it starts."""
    (tmp_path / "content").mkdir()
    result = run("serve", "--content", tmp_path / "content", "--trusted-proxies", "proxy")
    assert result.exit_code == 2
    assert "'trusted_proxies'" in result.output and "'proxy'" in result.output


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_option_has_a_help_line(command: str) -> None:
    """No option of any command is left without a help text."""
    cmd = main.commands[command]
    bare = [p.name for p in cmd.params if isinstance(p, click.Option) and not p.help]
    assert bare == []


def test_status_and_lang_list_their_values() -> None:
    """`search --help` lists the values of --status and --lang; another value is a usage
    error that names them."""
    text = run("search", "--help").output
    assert "--status [in-force|repealed]" in text and "--lang [fr|en]" in text
    result = run("search", "--status", "abrogé", "x")
    assert result.exit_code == 2 and "in-force" in result.output


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path) -> None:
    """`serve` on a port another program listens on exits 1 with one line naming the port,
    before indexing anything."""
    (tmp_path / "content").mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(
            "serve", "--content", tmp_path / "content", "--index", tmp_path / "index",
            "--port", str(port), "--no-watch",
        )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [f"Error: port {port} is in use; stop what serves it "
                                          "or choose another --port"]  # fmt: skip
    assert not (tmp_path / "index").exists()


def test_wrong_settings_are_named_in_the_language_of_the_locale(tmp_path: Path) -> None:
    """Every wrong value at once, in French under a French locale, English otherwise."""
    env = {"DOCREPO_BASE_URL": "ftp://docs", "DOCREPO_CORS_ORIGINS": "not-an-origin"}
    args = ("serve", "--content", tmp_path, "--index", tmp_path / "index", "--no-watch")
    french = run(*args, env={**env, "LANG": "fr_FR.UTF-8"})
    assert french.exit_code == 2
    assert "réglage 'cors_origins' : 'not-an-origin' n'est pas une origine" in french.stderr
    assert "réglage 'base_url' : 'ftp://docs' n'est pas une URL" in french.stderr
    english = run(*args, env=env)
    assert "setting 'base_url': 'ftp://docs' is not a URL" in english.stderr


def test_another_whoosh_stops_a_command_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Whoosh other than the pinned one stops any command at start, before its work:
    one line naming the version needed and the one found, no traceback."""
    import whoosh

    monkeypatch.setattr(whoosh, "__version__", (2, 7, 4))
    result = run("index", "--content", tmp_path, "--index", tmp_path / "index")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: docrepo needs Whoosh 2.7.5 "), result.output
    assert "found 2.7.4" in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "index").exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize(
    ("host", "base_url", "warned"),
    [
        ("0.0.0.0", "", True),
        ("::", "", True),
        ("127.0.0.1", "", False),
        ("localhost", "", False),
        ("::1", "", False),
        ("0.0.0.0", "https://docs.example.org", False),
    ],
)
def test_serve_warns_when_other_machines_reach_it_without_base_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, base_url: str, warned: bool
) -> None:
    """Served on an address other machines reach, without base_url, `serve` says at start
    that feeds, OpenSearch and the widget refuse the hosts allowed_hosts does not name
    (in the locale's language); on a loopback address, or with base_url, it says nothing."""
    from docrepo import cli
    from docrepo.webapp import serving

    monkeypatch.setattr(serving, "run", lambda host, port, workers: None)
    monkeypatch.setattr(cli, "_log_to_stderr", lambda: None)
    (tmp_path / "content").mkdir()
    args = ["serve", "--content", tmp_path / "content", "--index", tmp_path / "index",
            "--no-watch", "--host", host, "--port", str(free_port())]  # fmt: skip
    if base_url:
        args += ["--base-url", base_url]
    english = run(*args)
    assert english.exit_code == 0, english.output
    warning = [line for line in english.stderr.splitlines() if "base_url" in line]
    if not warned:
        assert warning == []
        return
    assert warning == [
        f"docrepo: warning: base_url is not set and {host} is reachable from other machines: "
        "feeds, OpenSearch and the widget's snippet answer 400 to a Host that allowed_hosts "
        "does not name; set base_url (e.g. https://docs.example.org)"
    ]
    french = run(*args, env={"LANG": "fr_FR.UTF-8"})
    assert "docrepo : avertissement : base_url n'est pas réglé" in french.stderr


def test_serve_run_in_process_gives_sigterm_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` handles SIGTERM while it serves and gives the process its own handler back
    when it returns: a process forked after it (a pool of the parallel rebuild) ends on
    SIGTERM instead of catching it and hanging its pool."""
    import signal

    from docrepo import cli
    from docrepo.webapp import serving

    seen: list[object] = []
    monkeypatch.setattr(
        serving, "run", lambda host, port, workers: seen.append(signal.getsignal(signal.SIGTERM))
    )
    monkeypatch.setattr(cli, "_log_to_stderr", lambda: None)
    (tmp_path / "content").mkdir()
    before = signal.getsignal(signal.SIGTERM)
    result = run("serve", "--content", tmp_path / "content", "--index", tmp_path / "index",
                 "--no-watch", "--port", str(free_port()))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert seen and seen[0] is not before  # docrepo's own while serving
    assert signal.getsignal(signal.SIGTERM) is before
