"""Citations in rendering: the references of a text are marked, linked later from the
relations, and unlinked for viewers who may not see the cited document."""

from __future__ import annotations

import pytest

from docrepo.content.citations import link, unlink
from docrepo.content.markdown import Citation, render


@pytest.mark.parametrize(
    "written",
    ["DEC240187DAJ", "dec240187daj", "DEC 240187 DAJ", "dec-240187-daj", "Dec.240187.DAJ"],
)
def test_a_reference_written_any_way_is_marked_as_one(written: str) -> None:
    """Case, spaces, dots and hyphens: the variants the search understands are citations."""
    rendered = render(f"Vu la décision {written} du directeur.", "d/x")
    assert rendered.citations == [Citation("DEC240187DAJ", 1)]
    assert f'data-reference="DEC240187DAJ">{written}</span>' in rendered.html
    assert f"Vu la décision {written} du directeur." in rendered.text


def test_references_in_links_and_code_are_left_alone() -> None:
    """A reference inside a Markdown link, inline code or a code block is not marked."""
    source = (
        "Voir [la décision DEC240187DAJ](autre.md) et `DEC240188DAJ`.\n\n"
        "    DEC240189DAJ\n\n"
        "```\nDEC240190DAJ\n```\n"
    )
    rendered = render(source, "d/x")
    assert rendered.citations == []
    assert "data-reference" not in rendered.html


def test_each_reference_is_listed_once_with_its_own_line() -> None:
    """The line of a citation is the file line it is written on, even inside a paragraph."""
    source = "Premier paragraphe.\n\nVu DEC240187DAJ,\nvu NOT230011DRH\net DEC240187DAJ.\n"
    rendered = render(source, "d/x", first_line=10)
    assert rendered.citations == [Citation("DEC240187DAJ", 12), Citation("NOT230011DRH", 13)]


def test_a_reference_in_a_heading_keeps_the_heading_text() -> None:
    """A cited reference in a heading still gives the heading its title and id."""
    rendered = render("# Application de DEC240187DAJ\n\nTexte.\n", "d/x")
    assert rendered.toc[0].title == "Application de DEC240187DAJ"
    assert rendered.toc[0].anchor == "application-de-dec240187daj"


def test_linking_follows_the_targets_and_can_be_redone() -> None:
    """Marks become links to the ids given, and back to plain marks when a target goes:
    linking the stored HTML again gives what linking the rendered HTML gives."""
    rendered = render("Vu DEC 240187 DAJ et NOT230011DRH.", "d/x").html
    linked = link(rendered, {"DEC240187DAJ": "decisions/dec 1"})
    assert '<a class="citation" data-reference="DEC240187DAJ" data-doc="decisions/dec 1">' in (
        linked
    )
    assert ">DEC 240187 DAJ</a>" in linked
    assert 'data-reference="NOT230011DRH">NOT230011DRH</span>' in linked
    assert link(linked, {}) == rendered
    both = {"DEC240187DAJ": "a", "NOT230011DRH": "b"}
    assert link(linked, both) == link(rendered, both)


def test_unlinking_turns_citations_of_hidden_documents_into_text() -> None:
    """Only the citations of the ids given lose their link."""
    rendered = render("Vu DEC240187DAJ et NOT230011DRH.", "d/x").html
    linked = link(rendered, {"DEC240187DAJ": "secret/a", "NOT230011DRH": "b"})
    shown = unlink(linked, {"secret/a"})
    assert 'data-doc="secret/a"' not in shown
    assert 'data-doc="b"' in shown
    assert shown == link(rendered, {"NOT230011DRH": "b"})


def test_an_editor_cannot_forge_a_mark() -> None:
    """Markup looking like a mark, written in a text, stays escaped and is never linked."""
    source = '<span class="reference" data-reference="DEC240187DAJ">x</span>'
    rendered = render(source, "d/x").html
    assert link(rendered, {"DEC240187DAJ": "a"}).count("<a ") == 1  # the real mark only
    assert "&lt;span" in rendered
