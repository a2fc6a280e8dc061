"""Settings: each has a name, a default and a help text.

Precedence: command-line option, then the environment variable ``DOCREPO_<NAME>``
(lists comma-separated), then a key in ``docrepo.toml`` in the working directory,
then the default.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError, Message
from .i18n import N_

CONFIG_FILE = "docrepo.toml"


@dataclass(frozen=True)
class Settings:
    """The settings of one docrepo process."""

    content: Path = field(default=Path("content"), metadata={"help": "the content directory"})
    index: Path = field(default=Path("index"), metadata={"help": "the index directory"})
    cors_origins: tuple[str, ...] = field(
        default=(), metadata={"help": "origins allowed to call the API from a browser"}
    )
    trusted_proxies: tuple[str, ...] = field(
        default=(),
        metadata={"help": "addresses or CIDR ranges whose identity headers are believed"},
    )
    base_url: str = field(
        default="",
        metadata={"help": "public URL of the site, for feeds, OpenSearch and the widget"},
    )
    allowed_hosts: tuple[str, ...] = field(
        default=(), metadata={"help": "host names the site answers to (empty: any)"}
    )
    editor_groups: tuple[str, ...] = field(
        default=("editors",),
        metadata={"help": "groups whose members are editors: /problems shows them every problem"},
    )
    insights: str = field(
        default="./insights.sqlite",
        metadata={"help": "the SQLite file of search insights, or off to record nothing"},
    )
    insights_days: int = field(
        default=395, metadata={"help": "days of search insights kept (at most 760)"}
    )
    attachment_max_mb: int = field(
        default=50, metadata={"help": "the largest attachment extracted and served, in MB"}
    )

    def environment(self) -> dict[str, str]:
        """The `DOCREPO_*` variables that give another process these settings (a web
        worker's `load_settings` reads them): paths made absolute, lists joined by commas."""
        found: dict[str, str] = {}
        for setting in fields(self):
            value = getattr(self, setting.name)
            if isinstance(value, Path):
                value = str(value.resolve())
            elif isinstance(value, tuple):
                value = ",".join(value)
            found[f"DOCREPO_{setting.name.upper()}"] = str(value)
        return found


def _path(name: str, value: Any) -> Path:
    if not isinstance(value, str | Path) or not str(value).strip():
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a path; expected a directory path"),
                name=name,
                value=value,
            )
        )
    return Path(value)


def _str_list(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a list; expected comma-separated values"),
                name=name,
                value=value,
            )
        )
    return tuple(v for v in items if v)


def _origins(name: str, value: Any) -> tuple[str, ...]:
    origins = _str_list(name, value)
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in ("http", "https") or not rest or "/" in rest:
            raise ConfigError(
                Message.of(
                    N_(
                        "setting '{name}': '{value}' is not an origin; "
                        "expected scheme://host[:port], e.g. "
                        "https://intranet.example.org"
                    ),
                    name=name,
                    value=origin,
                )
            )
    return origins


def _networks(name: str, value: Any) -> tuple[str, ...]:
    networks = _str_list(name, value)
    for net in networks:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise ConfigError(
                Message.of(
                    N_(
                        "setting '{name}': '{value}' is not an IP address "
                        "or CIDR range; expected e.g. 127.0.0.1 or "
                        "10.0.0.0/8"
                    ),
                    name=name,
                    value=net,
                )
            ) from None
    return networks


def _url(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a URL; expected https://host/path"),
                name=name,
                value=value,
            )
        )
    url = value.strip().rstrip("/")
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a URL; expected http(s)://host[/path]"),
                name=name,
                value=value,
            )
        )
    return url


def _hosts(name: str, value: Any) -> tuple[str, ...]:
    hosts = _str_list(name, value)
    for host in hosts:
        if not re.fullmatch(r"(\*\.)?[A-Za-z0-9.-]+|\*", host):
            raise ConfigError(
                Message.of(
                    N_(
                        "setting '{name}': '{value}' is not a host name; "
                        "expected e.g. docs.example.org or *.example.org"
                    ),
                    name=name,
                    value=host,
                )
            )
    return hosts


def _megabytes(name: str, value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if isinstance(value, bool) or number < 1:
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a size in MB; expected a whole number "
                   "of at least 1, e.g. 50"),
                name=name,
                value=value,
            )
        )  # fmt: skip
    return number


#: the longest insights are kept: 25 months, the CNIL's limit for audience measurement
MAX_INSIGHTS_DAYS = 760
#: the days an insights report covers by default (/insights, `docrepo insights`)
DEFAULT_INSIGHTS_DAYS = 30


def _insights(name: str, value: Any) -> str:
    if not isinstance(value, str | Path) or not str(value).strip():
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a path; expected the path of a "
                   "file (e.g. ./insights.sqlite) or off"),
                name=name,
                value=value,
            )
        )  # fmt: skip
    return "off" if str(value).strip().lower() == "off" else str(value)


def _insights_days(name: str, value: Any) -> int:
    try:
        days = int(str(value).strip())
    except ValueError:
        days = 0
    if isinstance(value, bool) or not 1 <= days <= MAX_INSIGHTS_DAYS:
        raise ConfigError(
            Message.of(
                N_("setting '{name}': '{value}' is not a number of days from 1 to {high}; "
                   "e.g. 395 (13 months)"),
                name=name,
                value=value,
                high=MAX_INSIGHTS_DAYS,
            )
        )  # fmt: skip
    return days


_CONVERTERS: dict[str, Callable[[str, Any], Any]] = {
    "content": _path,
    "index": _path,
    "cors_origins": _origins,
    "trusted_proxies": _networks,
    "base_url": _url,
    "allowed_hosts": _hosts,
    "editor_groups": _str_list,
    "insights": _insights,
    "insights_days": _insights_days,
    "attachment_max_mb": _megabytes,
}

SETTING_NAMES = tuple(f.name for f in fields(Settings))


@dataclass(frozen=True)
class SettingHelp:
    """What the command line says of a setting: its option, its help, its default."""

    name: str
    help: str
    default: object

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def is_list(self) -> bool:
        return isinstance(self.default, tuple)

    def shown_default(self) -> str:
        if isinstance(self.default, tuple):
            return ", ".join(self.default)
        return str(self.default)


SETTINGS_HELP = {
    f.name: SettingHelp(f.name, str(f.metadata["help"]), f.default) for f in fields(Settings)
}


def _read_config_file(directory: Path) -> dict[str, Any]:
    path = directory / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            Message.of(N_("{path}: not valid TOML: {error}"), path=path, error=exc)
        ) from None
    unknown = sorted(set(data) - set(SETTING_NAMES))
    if unknown:
        known = ", ".join(SETTING_NAMES)
        raise ConfigError(
            *(
                Message.of(
                    N_("{path}: unknown setting '{name}'; known settings: {known}"),
                    path=path,
                    name=name,
                    known=known,
                )
                for name in unknown
            )
        )
    return data


def load_settings(
    options: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> Settings:
    """Build the settings from options (None = not given), environment and docrepo.toml;
    every wrong value is named in one ConfigError."""
    options = options or {}
    environ = os.environ if environ is None else environ
    from_file = _read_config_file(directory or Path.cwd())
    values: dict[str, Any] = {}
    errors: list[Message] = []
    for name in SETTING_NAMES:
        env_name = f"DOCREPO_{name.upper()}"
        if options.get(name) is not None:
            raw = options[name]
        elif env_name in environ:
            raw = environ[env_name]
        elif name in from_file:
            raw = from_file[name]
        else:
            continue
        try:
            values[name] = _CONVERTERS[name](name, raw)
        except ConfigError as exc:
            errors += exc.messages
    if errors:
        raise ConfigError(*errors)
    return Settings(**values)
