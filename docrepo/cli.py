"""The `docrepo` command: check, index, search, serve, watch, new, insights.

Exit codes: 0 success, 1 problems found in the content (or an error of the work),
2 usage error. Errors go to standard error as ``PATH:LINE: error: MESSAGE``; no
traceback ever reaches the user.

Each command imports what it uses inside its function (the index, the search, git, the
web): `docrepo --help` and `docrepo check` start without them (docs/performance.md, "The
command line starts at once"; tests/cli/test_cli_start.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .config import (
    DEFAULT_INSIGHTS_DAYS,
    MAX_INSIGHTS_DAYS,
    SETTINGS_HELP,
    Settings,
    load_settings,
)
from .errors import ConfigError, DocrepoError, Problem
from .schema import FACET_BY_NAME, FACET_NAMES, LANGS, STATUSES
from .search.request import SORTS, SearchRequest
from .terminal import _, cli_lang, ngettext, print_problems, progress

if TYPE_CHECKING:
    from .content.taxonomy import Taxonomy
    from .indexing.pipeline import UpdateSummary

F = TypeVar("F", bound=Callable[..., Any])


def _settings(ctx: click.Context, **options: Any) -> Settings:
    """The settings, the command's options first; every wrong value named at once."""
    try:
        return load_settings(options)
    except ConfigError as exc:
        ctx.fail(exc.text(cli_lang()))


def setting_options(*names: str) -> Callable[[F], F]:
    """The options of some settings, from the settings table (name, help, default)."""

    def decorate(command: F) -> F:
        for name in reversed(names):
            setting = SETTINGS_HELP[name]
            default = setting.shown_default()
            shown = f" [default: {default}]" if default else ""
            kind = " (comma-separated)" if setting.is_list else ""
            command = click.option(
                setting.option,
                name,
                type=click.Path(path_type=Path) if isinstance(setting.default, Path) else str,
                help=f"{setting.help[0].upper()}{setting.help[1:]}{kind}{shown}.",
            )(command)
        return command

    return decorate


#: the settings every command takes, and those of the web server
LOCATION = ("content", "index")
WEB = ("cors_origins", "trusted_proxies", "base_url", "allowed_hosts", "editor_groups",
       "insights", "insights_days", "attachment_max_mb")  # fmt: skip
location_options = setting_options(*LOCATION)


def _exit_for(problems: list[Problem]) -> None:
    if any(p.level == "error" for p in problems):
        sys.exit(1)


class _Failure(click.ClickException):
    """A docrepo error shown as one line, with its own exit code."""

    def __init__(self, error: DocrepoError) -> None:
        super().__init__(error.text(cli_lang()))
        self.code = error.exit_code

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        return self.code


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocrepoError as exc:
            raise _Failure(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docrepo")
def main() -> None:
    """docrepo: the document repository and search service of the intranet."""


def _check_whoosh() -> None:
    """Refuse another Whoosh than docrepo's: each command that opens the index calls this
    first (not `check`, `new`, `insights` or a help, which do not load Whoosh)."""
    from .store.whoosh_internals import check_version

    check_version()


@main.command()
@location_options
@setting_options("attachment_max_mb")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
@click.pass_context
def check(ctx: click.Context, /, fmt: str, **options: Any) -> None:
    """Validate every document, its attachments and the taxonomy; print every problem."""
    from .content.check import check_content
    from .content.shown_paths import ShownPaths
    from .indexing.extracting import attachment_reader

    settings = _settings(ctx, **options)
    _require_content(ctx, settings)
    cache = settings.index if settings.index.is_dir() else None  # never made by a check
    problems = check_content(settings.content, attachment_reader(settings.attachment_max_mb, cache))
    if fmt == "json":
        paths = ShownPaths.of(settings.content)
        listed = [p.to_dict(cli_lang(), paths.show) for p in problems]
        click.echo(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        print_problems(problems, settings.content)
        errors = sum(p.level == "error" for p in problems)
        warnings = len(problems) - errors
        counts = _("{errors}, {warnings}").format(
            errors=ngettext("%(num)s error", "%(num)s errors", errors),
            warnings=ngettext("%(num)s warning", "%(num)s warnings", warnings),
        )
        click.echo(counts, err=True)
    _exit_for(problems)


def _require_content(ctx: click.Context, settings: Settings) -> None:
    if not settings.content.is_dir():
        ctx.fail(
            _(
                "the content directory {path} does not exist (set --content, DOCREPO_CONTENT "
                "or 'content' in docrepo.toml)"
            ).format(path=settings.content)
        )


def run_index(settings: Settings, rebuild: bool = False, quiet: bool = False) -> UpdateSummary:
    """Bring the index up to date, printing problems and (unless quiet) the summary."""
    from .indexing.pipeline import update_index
    from .store.writing import IndexStore

    with progress(sys.stderr.isatty() and not quiet) as advance:
        summary = update_index(
            settings.content,
            IndexStore(settings.index),
            rebuild,
            advance,
            attachment_max_mb=settings.attachment_max_mb,
        )
    print_problems(summary.problems, settings.content)
    if not quiet:
        click.echo(summary.line())
    return summary


@main.command()
@location_options
@click.option("--rebuild", is_flag=True, help="Rebuild the index from nothing.")
@setting_options("attachment_max_mb")
@click.pass_context
def index(ctx: click.Context, /, rebuild: bool, **options: Any) -> None:
    """Bring the index up to date with the content (only what changed), the text of
    attached files included."""
    _check_whoosh()
    settings = _settings(ctx, **options)
    _require_content(ctx, settings)
    _exit_for(run_index(settings, rebuild).problems)


#: the statuses a search can find (drafts are never indexed)
SEARCHABLE_STATUSES = tuple(s for s in STATUSES if s != "draft")
#: each filter option: its values (a list of its own, or any text) and its help
_FILTERS: dict[str, tuple[tuple[str, ...] | None, str]] = {
    "type": (None, "Document type: a code of the types vocabulary (content/taxonomy.yml)"),
    "institute": (None, "Institute: a code of the institutes vocabulary"),
    "region": (None, "Regional office: a code of the regions vocabulary"),
    "issuer": (None, "Issuing department: a code of the issuers vocabulary"),
    "theme": (None, "Theme: a code of the themes vocabulary"),
    "status": (SEARCHABLE_STATUSES, "Status"),
    "lang": (LANGS, "Language of the text"),
    "year": (None, "Year of the date, YYYY"),
}


def _filter_option(name: str) -> Callable[[F], F]:
    """A facet's option, repeatable: a document matches when it has any of the values."""
    choices, help_text = _FILTERS[name]
    return click.option(
        f"--{name}",
        multiple=True,
        type=click.Choice(choices) if choices else click.STRING,
        metavar=None if choices else "CODE" if FACET_BY_NAME[name].vocabulary else "YEAR",
        help=f"{help_text}; repeatable (any of them).",
    )


def _warn_unknown_codes(taxonomy: Taxonomy, filters: dict[str, tuple[str, ...]]) -> None:
    """A facet code the taxonomy does not know finds nothing: say so, with the closest codes."""
    for name, values in filters.items():
        vocabulary = FACET_BY_NAME[name].vocabulary
        if not vocabulary or not taxonomy.codes(vocabulary):
            continue
        for value in values:
            if taxonomy.has(vocabulary, value):
                continue
            close = taxonomy.closest(vocabulary, value)
            message = (
                _("warning: --{option} '{value}' is not a code of the {vocabulary} vocabulary "
                  "and finds nothing; did you mean {codes}?")
                if close
                else _("warning: --{option} '{value}' is not a code of the {vocabulary} "
                       "vocabulary and finds nothing; known codes: {codes}")
            )  # fmt: skip
            codes = ", ".join(close or taxonomy.codes(vocabulary))
            click.echo(message.format(option=name, value=value, vocabulary=vocabulary,
                                      codes=codes), err=True)  # fmt: skip


@main.command()
@location_options
@click.argument("query", nargs=-1)
@_filter_option("type")
@_filter_option("institute")
@_filter_option("region")
@_filter_option("issuer")
@_filter_option("theme")
@_filter_option("status")
@_filter_option("lang")
@_filter_option("year")
@click.option("--from", "date_from", metavar="DATE", help="Dated on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", metavar="DATE", help="Dated on or before (YYYY-MM-DD).")
@click.option("--at", metavar="DATE", help="The repository as it stood that day (YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(SORTS), help="Sort order.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Results per page.")  # fmt: skip
@click.option("--page", type=click.IntRange(1), default=1, show_default=True,
              help="Page of results to show.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@click.option("--no-spell", is_flag=True, help="Search the words exactly as typed.")
@click.option("--prefix", type=click.Choice(["last"]),
              help="last: the last word also matches the words it begins.")  # fmt: skip
@click.pass_context
def search(
    ctx: click.Context,
    /,
    content: Path | None,
    index: Path | None,
    query: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    at: str | None,
    sort: str | None,
    limit: int,
    page: int,
    as_json: bool,
    no_spell: bool,
    prefix: str | None,
    **filters: tuple[str, ...],
) -> None:
    """Search from the terminal, with the same filters as the web.

    Without --index, a first search builds the index; an --index that holds none is an
    error (nothing is written there).
    """
    from .access import EVERYONE
    from .content.taxonomy import load_taxonomy
    from .search.library import Library
    from .store.generations import IndexDirectory

    _check_whoosh()
    settings = _settings(ctx, content=content, index=index)
    params: dict[str, list[str]] = {k: list(v) for k, v in filters.items() if k in FACET_NAMES}
    params.update(q=[" ".join(query)], page=[str(page)], per_page=[str(limit)])
    if no_spell:
        params["spell"] = ["off"]
    if prefix:
        params["prefix"] = [prefix]
    for name, value in (("from", date_from), ("to", date_to), ("at", at), ("sort", sort)):
        if value:
            params[name] = [value]
    try:
        request = replace(SearchRequest.from_params(params), language=cli_lang())
    except DocrepoError as exc:
        ctx.fail(exc.text(cli_lang()))
    _warn_unknown_codes(load_taxonomy(settings.content)[0], request.filters)
    if IndexDirectory(settings.index).current() is None:
        _require_content(ctx, settings)
        if index is not None:
            ctx.fail(
                _(
                    "{path} holds no index: give the folder that holds it, or build one there "
                    "first with `docrepo index --index {path}`"
                ).format(path=settings.index)
            )
        run_index(settings, quiet=True)
    result = Library(settings.index, settings.content).search(request, EVERYONE)
    if as_json:
        from .webapp.labels import Labels
        from .webapp.shapes import result_json

        labels = Labels(load_taxonomy(settings.content)[0], cli_lang())
        click.echo(json.dumps(result_json(result, labels), ensure_ascii=False, indent=2))
    else:
        from .terminal import print_result

        print_result(result)


class _NewCommand(click.Command):
    """`new`, whose help lists the types it can write: those of the taxonomy of the
    content directory the settings name (an option is not read yet when help is shown)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from .content.taxonomy import TAXONOMY_FILE, load_taxonomy

        super().format_help_text(ctx, formatter)
        try:
            content = load_settings().content
        except ConfigError:
            content = Path("content")
        types = load_taxonomy(content)[0].codes("types")
        formatter.write_paragraph()
        with formatter.indentation():
            if types:
                formatter.write_text(_("TYPE is one of: {types}.").format(types=", ".join(types)))
            else:
                formatter.write_text(
                    _("TYPE is a code of the types of {path}.").format(path=content / TAXONOMY_FILE)
                )


@main.command(cls=_NewCommand)
@location_options
@click.argument("doc_type", metavar="TYPE")
@click.argument("path")
@click.pass_context
def new(ctx: click.Context, content: Path | None, index: Path | None, doc_type: str,
        path: str) -> None:  # fmt: skip
    """Write a new document of TYPE at PATH (under the content directory), ready to fill.

    The document starts as a draft (checked, never published) until its `status: draft`
    line is removed.
    """
    from .content.documents import document_id
    from .content.new_document import new_document
    from .content.taxonomy import load_taxonomy
    from .content.tree import is_document_path

    settings = _settings(ctx, content=content, index=index)
    _require_content(ctx, settings)
    taxonomy = load_taxonomy(settings.content)[0]
    if not taxonomy.has("types", doc_type):
        close = taxonomy.closest("types", doc_type)
        message = (
            _("unknown type '{type}'; did you mean {close}? (types: {types})")
            if close
            else _("unknown type '{type}' (types: {types})")
        )
        types = ", ".join(taxonomy.codes("types"))
        ctx.fail(message.format(type=doc_type, close=", ".join(close), types=types))
    given = Path(path)
    if given.is_relative_to(settings.content):
        given = given.relative_to(settings.content)
    relative = given.as_posix().strip("/")
    relative = relative if relative.endswith(".md") else relative + ".md"
    if not is_document_path(relative) or ".." in relative.split("/") or given.is_absolute():
        ctx.fail(
            _("'{path}' is not a document path: expected e.g. decisions/2025/dec250001daj").format(
                path=path
            )
        )
    target = settings.content / relative
    if target.exists():
        ctx.fail(_("{path} already exists; choose another path").format(path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(new_document(doc_type, relative, taxonomy, dt.date.today()), "utf-8")
    click.echo(_("wrote {path} (id {id})").format(path=target, id=document_id(relative)))


@main.command()
@setting_options(*LOCATION, *WEB)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port to listen on.")  # fmt: skip
@click.option("--no-watch", is_flag=True, help="Do not watch the content directory.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Web worker processes (all read the one index).")  # fmt: skip
@click.pass_context
def serve(ctx: click.Context, /, host: str, port: int, no_watch: bool, workers: int,
          **options: Any) -> None:  # fmt: skip
    """Bring the index up to date, then serve the web interface and the API.

    The watcher (the index's one writer) runs in this process; the web workers only read.
    """
    from .indexing.watcher import Watcher
    from .store.manifest import MANIFESTS
    from .webapp import serving

    _check_whoosh()
    settings = _settings(ctx, **options)
    _require_content(ctx, settings)
    serving.check_address(host, port)
    if warning := serving.base_url_warning(settings, host):
        click.echo(warning.text(cli_lang()), err=True)
    run_index(settings)
    if no_watch:  # this process will not write again: the manifest need not stay in memory
        MANIFESTS.forget()
    _log_to_stderr()
    # the workers build their application from the environment: hand them these settings
    os.environ.update(settings.environment())
    watcher = (
        None
        if no_watch
        else Watcher(settings.content, settings.index, attachment_max_mb=settings.attachment_max_mb)
    )
    if watcher:
        watcher.start()
    url = f"http://{host}:{port}/"
    click.echo(
        _("docrepo: serving {path} on {url}").format(path=settings.content, url=url), err=True
    )
    # uvicorn stops on SIGTERM, then raises it again with the handler it found: this one
    # lets the watcher stop as asked (and say so) instead of the process dying mid-way
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        serving.run(host, port, workers)
    except _Terminated:
        pass
    finally:
        # the process may go on (serve run in process): its handler is its own again, so
        # that a process it forks later is not told to stop serving on SIGTERM
        signal.signal(signal.SIGTERM, previous)
        if watcher:
            watcher.stop()


class _Terminated(Exception):
    """SIGTERM arrived: stop serving as asked."""


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _log_to_stderr() -> None:
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("docrepo")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@main.command()
@location_options
@click.option("--polling", is_flag=True, help="Poll the files instead of native events.")
@click.pass_context
def watch(ctx: click.Context, content: Path | None, index: Path | None, polling: bool) -> None:
    """Watch the content directory and keep the index up to date (the watcher alone)."""
    from .indexing.watcher import Watcher

    _check_whoosh()
    settings = _settings(ctx, content=content, index=index)
    _require_content(ctx, settings)
    _log_to_stderr()
    watching = _("docrepo: watching {content} for {index}")
    click.echo(watching.format(content=settings.content, index=settings.index), err=True)
    watcher = Watcher(
        settings.content,
        settings.index,
        force_polling=polling or None,
        attachment_max_mb=settings.attachment_max_mb,
    )
    try:
        watcher.run()
    except KeyboardInterrupt:
        watcher.stop_event.set()


@main.command()
@setting_options("content", "insights", "insights_days")
@click.option("--days", type=click.IntRange(1, MAX_INSIGHTS_DAYS), default=DEFAULT_INSIGHTS_DAYS,
              show_default=True, help="The days shown, ending today.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
@click.option("--synonyms", "only_synonyms", is_flag=True,
              help="Only the synonyms proposed, as lines of content/synonyms.yml.")  # fmt: skip
@click.pass_context
def insights(ctx: click.Context, /, days: int, fmt: str, only_synonyms: bool,
             **options: Any) -> None:  # fmt: skip
    """What staff searched, found and did not find (the insights file, README)."""
    from .content.synonyms import load_synonyms
    from .insights.report import as_csv, as_text, read_report

    settings = _settings(ctx, **options)
    if settings.insights == "off":
        ctx.fail(_("search insights are off (the setting insights is off): nothing is recorded"))
    if days > settings.insights_days:
        ctx.fail(_("--days {days}: insights are kept {kept} days (the setting insights_days)")
                 .format(days=days, kept=settings.insights_days))  # fmt: skip
    synonyms, _problems = load_synonyms(settings.content)
    report = read_report(Path(settings.insights), days, dt.date.today(), synonyms)
    data = report.as_json()
    if only_synonyms:
        lines = [p.line for p in report.proposals]
        text = json.dumps(data["synonym_proposals"], ensure_ascii=False, indent=2)
        click.echo(text if fmt == "json" else "\n".join(lines), nl=fmt == "json" or bool(lines))
    elif fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(as_csv(report), nl=False)
    else:
        click.echo(as_text(report, _), nl=False)
