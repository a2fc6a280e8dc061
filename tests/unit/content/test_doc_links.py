"""Links to documents leave the content side as marks of ids; a URL builder given to
`addressed` makes them addresses (`webapp.urls.linked` gives the web's)."""

from __future__ import annotations

import ast
from pathlib import Path

from docrepo.content.citations import link
from docrepo.content.doc_links import addressed
from docrepo.content.markdown import render

CONTENT_SIDE = Path(__file__).parents[3] / "docrepo" / "content"


def test_the_url_builder_given_writes_every_link_to_a_document() -> None:
    """A `.md` link (its fragment kept) and a citation get the URL the builder gives,
    escaped once in the attribute; other links and the text are left as they were."""
    source = (
        'Voir [la note](../notes/n1.md#article-2 "Note") et [A & B](<a&b.md>), '
        "[le site](https://example.org/x) et DEC240187DAJ."
    )
    rendered = link(render(source, "decisions/d").html, {"DEC240187DAJ": "dec/x y"})
    shown = addressed(rendered, lambda doc_id: f"https://intranet.example/textes?id={doc_id}")
    assert shown == (
        '<p>Voir <a href="https://intranet.example/textes?id=notes/n1#article-2" title="Note">'
        'la note</a> et <a href="https://intranet.example/textes?id=decisions/a&amp;b">A &amp; B'
        '</a>, <a href="https://example.org/x">le site</a> et <a class="citation" '
        'data-reference="DEC240187DAJ" href="https://intranet.example/textes?id=dec/x y">'
        "DEC240187DAJ</a>.</p>\n"
    )


def test_no_module_of_the_content_side_writes_a_web_url() -> None:
    """The content side never builds the web's `/doc/` URLs: no string of its code starts
    a URL with it or puts it in an `href` (a message may still name a URL to an editor)."""
    found = []
    for path in sorted(CONTENT_SIDE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.startswith("/doc") or 'href="/doc' in node.value:
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []
