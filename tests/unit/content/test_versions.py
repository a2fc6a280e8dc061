"""Reading versions: the access a version declares, and the word-level comparison of
two renderings."""

from __future__ import annotations

from docrepo.content.comparison import compare_html
from docrepo.content.history import declared_access
from support.dom import parse_html


def test_declared_access_reads_the_front_matter_without_building_it() -> None:
    """A version's access: as written, public when absent, internal when unreadable
    (an alias bomb is never expanded)."""
    assert declared_access(b"---\ntitle: A\naccess: [rh, daj]\n---\nT") == ("rh", "daj")
    assert declared_access(b"---\ntitle: A\naccess: internal\n---\nT") == ("internal",)
    assert declared_access(b"---\ntitle: A\n---\nT") == ("public",)
    assert declared_access(b"no front matter") == ("internal",)
    assert declared_access(b"---\n: [\n---\n") == ("internal",)
    bomb = b"---\na: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\naccess: *c\n---\nT"
    assert declared_access(bomb) == ("internal",)


def test_changed_words_are_marked_inside_the_newer_markup() -> None:
    """Words replaced inside a paragraph are a <del> and an <ins> in it; the newer
    markup is kept whole; a block added whole is marked as added."""
    old = "<p>Le taux est de <strong>100 euros</strong>.</p>\n<p>Fin.</p>\n"
    new = (
        "<p>Le taux est de <strong>120 euros</strong>.</p>\n<p>Fin.</p>\n<ul>\n<li>Un</li>\n</ul>\n"
    )
    dom = parse_html(compare_html(old, new))
    strong = dom.find("strong")
    assert [d.text for d in strong.find_all("del")] == ["100"]
    assert [i.text for i in strong.find_all("ins")] == ["120"]
    assert dom.find("div", cls="diff-added").find("li").text == "Un"
    assert (
        compare_html(old, old) == "<p>Le taux est de <strong>100 euros</strong>.</p>\n<p>Fin.</p>"
    )


def test_a_huge_changed_block_is_compared_whole() -> None:
    """A 3,000-row table with a third of its rows changed is one block of 30,000 words:
    compared word by word (quadratic) it would hold the request for minutes, so it is
    shown removed, then added, whole."""
    rows = [f"<tr><td>ligne {n}</td><td>valeur {n}</td></tr>" for n in range(3000)]
    changed = [r.replace("valeur", "montant") if n % 3 == 0 else r for n, r in enumerate(rows)]
    old = "<table>" + "".join(rows) + "</table>\n"
    new = "<table>" + "".join(changed) + "</table>\n"
    marked = parse_html(compare_html(old, new))
    (removed,) = marked.find_all("del")
    assert "valeur 2997" in removed.text and "ligne 0" in removed.text
    assert "montant 2997" in " ".join(i.text for i in marked.find_all("ins"))
