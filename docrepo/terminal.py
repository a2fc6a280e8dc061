"""The command line's face: its language, and what it prints (problems, the progress of
an indexing, search results) as a terminal shows them; `cli` only wires the commands."""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .i18n import locale_lang, translations

if TYPE_CHECKING:  # imported where used: `docrepo --help` loads neither git nor the web
    from .errors import Problem
    from .search.result import SearchResult


def cli_lang() -> str:
    """The language of the command line's messages: the locale's (English by default)."""
    return locale_lang(os.environ)


def _(message: str) -> str:
    """A message of the command line in the locale's language."""
    return translations(cli_lang()).gettext(message)


def ngettext(singular: str, plural: str, num: int) -> str:
    """A counted message in the locale's language, `%(num)s` filled in."""
    return translations(cli_lang()).ngettext(singular, plural, num) % {"num": num}


def print_problems(problems: list[Problem], content_dir: Path) -> None:
    """Problems on standard error, their paths as editors are shown them (`ShownPaths`)."""
    from .content.shown_paths import ShownPaths

    lang, shown = cli_lang(), ShownPaths.of(content_dir)
    for problem in problems:
        click.echo(problem.line_text(lang, shown.show), err=True)


@contextmanager
def progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar of the files read (when enabled): the callback an indexing calls."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress

    # Refreshed from here, not by a thread of its own: a rebuild forks processes, which
    # is done only while a single thread runs.
    with Progress(transient=True, auto_refresh=False) as bar:
        task = bar.add_task("Indexing", total=None)
        shown = 0.0

        def advance(done: int, total: int) -> None:
            nonlocal shown
            bar.update(task, completed=done, total=total)
            if time.monotonic() - shown > 0.1 or done == total:
                bar.refresh()
                shown = time.monotonic()

        yield advance


def print_result(result: SearchResult) -> None:
    """A page of results: the count, then each hit's title, facts, address and snippet."""
    from rich.console import Console
    from rich.markup import escape

    from .webapp.i18n import ALSO_IN
    from .webapp.urls import attachment_place, doc_url, file_url

    console = Console(highlight=False, soft_wrap=True)
    first = (result.request.page - 1) * result.request.per_page
    found = ngettext("%(num)s document", "%(num)s documents", result.total)
    if result.corrected:
        line = _("{found} for {words} (--no-spell: as typed)")
        words = f"[bold]{escape(result.corrected)}[/bold]"
    elif result.suggestion:
        line = _("{found} — did you mean {words}?")
        words = f"[bold]{escape(result.suggestion)}[/bold]"
    else:
        line, words = "{found}", ""
    console.print(line.format(found=escape(found), words=words))
    if result.relaxed:
        note = _("few documents hold every word: also those holding the most")
        console.print(f"[dim]{escape(note)}[/dim]")
    repealed_word = _("repealed")
    for n, hit in enumerate(result.hits, first + 1):
        r = hit.record
        facts = " · ".join(str(x) for x in (r["type"], r["reference"], r["date"]) if x)
        repealed = f" [red]({escape(repealed_word)})[/red]" if r["status"] == "repealed" else ""
        console.print(f"\n{n}. [bold]{escape(r['title'])}[/bold]{repealed}")
        where = f"{doc_url(r['id'])}#{hit.section.anchor}" if hit.section else doc_url(r["id"])
        console.print(f"   [dim]{escape(facts)} — {escape(where)}[/dim]")
        console.print(f"   {terminal_snippet(hit.snippet)}")
        if hit.attachment:
            place = hit.attachment
            file = file_url(r["id"], place.name, place.page)
            line = _("attached file: {place} — {url}")
            console.print(
                f"   [dim]{escape(line.format(place=attachment_place(place, _), url=file))}[/dim]"
            )
        if hit.missing:
            missing = _("missing: {words}").format(words=", ".join(hit.missing))
            console.print(f"   [dim]{escape(missing)}[/dim]")
        for other in hit.translations:
            also = f"{ALSO_IN.get(other.lang, other.lang)} — {other.title} — {doc_url(other.id)}"
            console.print(f"   [dim]{escape(also)}[/dim]")


def terminal_snippet(snippet: str) -> str:
    """A snippet's HTML as rich markup: <mark> becomes reverse video, entities text."""
    from rich.markup import escape

    parts = re.split(r"(</?mark>)", snippet)
    tags = {"<mark>": "[reverse]", "</mark>": "[/reverse]"}
    return "".join(tags.get(p) or escape(html.unescape(p)) for p in parts)
