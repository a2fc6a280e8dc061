"""Markdown rendering: safe HTML, heading ids and toc, `.md` links, and bounded time."""

from __future__ import annotations

import re
import time

import pytest

from docrepo.content.markdown import MAX_BRACKETS, Heading, Link, render, slugify


def test_raw_html_is_escaped() -> None:
    """Raw HTML, block or inline, is shown as text and never reaches the page as markup."""
    source = (
        "<script>alert(1)</script>\n\n"
        'Un <img src=x onerror="alert(1)"> et <b>gras</b>.\n\n'
        '<iframe src="https://evil.example"></iframe>\n'
    )
    html = render(source, "pages/x").html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "source",
    [
        "[clic](javascript:alert(1))",
        "[clic](JavaScript:alert(1))",
        "[clic](JAVASCRIPT:alert(1))",
        "[clic](vbscript:msgbox(1))",
        "[clic](VBScript:msgbox(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[clic](DATA:text/html,<script>alert(1)</script>)",
        "[clic](jav&#x61;script:alert(1))",
        "[clic](&#106;avascript:alert(1))",
        "[clic](&#x6A;&#x61;vascript:alert(1))",
        "[clic](javascript&colon;alert(1))",
        "[clic][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "![image](javascript:alert(1))",
    ],
    ids=[
        "lower",
        "mixed",
        "upper",
        "vbscript",
        "vbscript-mixed",
        "data-html-base64",
        "data-html-upper",
        "entity-hex",
        "entity-dec",
        "entity-several",
        "entity-colon",
        "reference-style",
        "autolink",
        "image",
    ],
)
def test_dangerous_links_are_not_rendered_as_links(source: str) -> None:
    """`javascript:`, `vbscript:` and `data:text/html` URLs, in any spelling, give no link."""
    html = render(source, "pages/x").html
    assert "<a " not in html
    assert "<img" not in html
    assert not re.search(r"(href|src)=\"\s*(javascript|vbscript|data:text)", html, re.IGNORECASE)


def test_safe_links_are_rendered() -> None:
    """Ordinary web and mail links stay links (the control for the dangerous-link test)."""
    html = render("[site](https://example.org/a?b=1) [mail](mailto:daj@example.org)", "x").html
    assert '<a href="https://example.org/a?b=1">site</a>' in html
    assert '<a href="mailto:daj@example.org">mail</a>' in html


def test_heading_ids_and_table_of_contents() -> None:
    """Headings get accent-folded, unique ids, and the toc lists them with level and text."""
    source = (
        "# Décision du président\n\n"
        "## Article 1 – Définitions\n\n"
        "Texte.\n\n"
        "## Article 1 – Définitions\n\n"
        "### Sous-section *importante*\n"
    )
    rendered = render(source, "decisions/x")
    assert rendered.toc == [
        Heading(1, "decision-du-president", "Décision du président"),
        Heading(2, "article-1-definitions", "Article 1 – Définitions"),
        Heading(2, "article-1-definitions-1", "Article 1 – Définitions"),
        Heading(3, "sous-section-importante", "Sous-section importante"),
    ]
    for heading in rendered.toc:
        assert f'id="{heading.anchor}"' in rendered.html


def test_every_toc_entry_points_at_an_id_in_the_page() -> None:
    """No toc entry has an empty anchor: deep headings get an id too, or stay out of the toc."""
    rendered = render("# Haut\n\n##### Profond\n\n###### Très profond\n", "pages/x")
    assert rendered.toc, "the toc lists at least the h1"
    for heading in rendered.toc:
        assert heading.anchor, heading
        assert f'id="{heading.anchor}"' in rendered.html


def test_slugify() -> None:
    """Slugs fold accents, lowercase, join words with hyphens, and never come out empty."""
    assert slugify("Télétravail : règles & congés") == "teletravail-regles-conges"
    assert slugify("***") == "section"


def test_relative_md_links_are_marked_with_the_ids_they_name() -> None:
    """Relative `.md` links become marks of the id they name (no URL: the faces give it),
    keeping their fragment, recorded with their line."""
    source = (
        "Premier paragraphe.\n\n"
        "Voir [la note](../notes/n1.md#article-2) et [la voisine](voisine.md).\n\n"
        "Puis [ici](./sous/page.md).\n"
    )
    rendered = render(source, "decisions/2024/dec1", first_line=10)
    assert '<a data-doc="decisions/notes/n1" data-anchor="article-2">la note</a>' in rendered.html
    assert '<a data-doc="decisions/2024/voisine">la voisine</a>' in rendered.html
    assert '<a data-doc="decisions/2024/sous/page">ici</a>' in rendered.html
    assert "/doc/" not in rendered.html
    assert rendered.links == [
        Link("decisions/notes/n1", 12),
        Link("decisions/2024/voisine", 12),
        Link("decisions/2024/sous/page", 14),
    ]


def test_other_links_are_left_alone() -> None:
    """Absolute URLs, site paths and non-`.md` files are neither rewritten nor recorded."""
    source = "[a](https://example.org/x.md) [b](/static/x.md) [c](annexe.pdf) [d](#article-1)"
    rendered = render(source, "pages/x")
    assert rendered.links == []
    for href in ("https://example.org/x.md", "/static/x.md", "annexe.pdf", "#article-1"):
        assert f'href="{href}"' in rendered.html


def test_link_leaving_the_content_directory_is_recorded_as_broken() -> None:
    """A link that climbs out of the content directory is recorded with an empty target."""
    rendered = render("Voir [dehors](../../../etc/passwd.md).", "pages/x", first_line=7)
    assert rendered.links == [Link("", 7)]


def test_link_with_accents_or_spaces_names_the_real_id() -> None:
    """A link to `été.md` or `mon dossier/a.md` records and marks the decoded id."""
    rendered = render("[x](été.md) [y](<mon dossier/a.md>) [z](mon%20dossier/a.md)", "pages/x")
    assert [link.target for link in rendered.links] == [
        "pages/été",
        "pages/mon dossier/a",
        "pages/mon dossier/a",
    ]
    assert '<a data-doc="pages/été">' in rendered.html
    assert rendered.html.count('<a data-doc="pages/mon dossier/a">') == 2


def test_plain_text_for_search() -> None:
    """The search text holds the words of paragraphs, headings and code, without markup."""
    rendered = render("# Titre\n\nUn **mot** fort.\n\n```\ncode_source\n```\n", "pages/x")
    assert "Titre" in rendered.text and "Un mot fort." in rendered.text
    assert "code_source" in rendered.text
    assert "**" not in rendered.text and "<" not in rendered.text


@pytest.mark.parametrize("pattern", ["[", "[a](", "[]("], ids=["open", "link-open", "empty"])
def test_bracket_flood_renders_fast_and_is_flagged(pattern: str) -> None:
    """100 KB of `[` (a quadratic case for markdown-it) renders in well under a second."""
    source = pattern * (100_000 // len(pattern))
    # CPU time, not wall time: on a loaded shared machine wall time flaked past 1 s at 0.3 s CPU.
    start, wall = time.process_time(), time.perf_counter()
    rendered = render(source, "pages/x")
    elapsed, wall = time.process_time() - start, time.perf_counter() - wall
    assert elapsed < 1.0, f"{elapsed:.2f} s CPU ({wall:.2f} s wall)"
    assert rendered.brackets_escaped
    assert rendered.html.count("[") == source.count("[")


def test_few_brackets_are_not_flagged() -> None:
    """Up to MAX_BRACKETS `[` the text is parsed normally (links still work)."""
    source = "[x](y.md) " + "[" * (MAX_BRACKETS - 1)
    rendered = render(source, "pages/x")
    assert not rendered.brackets_escaped
    assert rendered.links == [Link("pages/y", 1)]


@pytest.mark.parametrize(
    "source",
    ["# a\n" * 16_000, "# titre répété\n\ntexte\n\n" * 8_000],
    ids=["identical-headings", "repeated-sections"],
)
def test_many_equal_headings_render_in_linear_time(source: str) -> None:
    """16,000 identical headings (quadratic with id probing: 12 s) render in a fraction
    of a second, and doubling them does not quadruple the time; ids stay unique."""
    start = time.process_time()
    rendered = render(source, "pages/x")
    once = time.process_time() - start
    start = time.process_time()
    render(source * 2, "pages/x")
    twice = time.process_time() - start
    assert once < 2.0, f"{once:.2f} s CPU"
    assert twice < once * 3 + 0.2, (once, twice)
    anchors = [h.anchor for h in rendered.toc]
    assert len(set(anchors)) == len(anchors)


def test_a_heading_named_like_a_numbered_twin_keeps_ids_unique() -> None:
    rendered = render("# a\n\n# a\n\n# a-1\n\n# a\n", "pages/x")
    assert [h.anchor for h in rendered.toc] == ["a", "a-1", "a-1-1", "a-2"]
