"""Citations: the references written in a text, as marks of its rendered HTML.

Whether a reference names a document is known only once relations are resolved across
the repository, and it changes when another file is added, renamed or deleted. So
rendering (at read time, file by file) marks every reference it finds in the text with
`mark`, whatever it names, and the links are put in later by `link`, from the
citations the relation graph resolved (`Derived.cites`). The graph redoes the
citations of a text whenever a document claiming or giving up one of its references
changes; the indexer then rewrites the records whose derived relations moved, linking
their stored HTML again: no file is read or rendered again for it.

A mark is one of two tags that Markdown cannot produce (raw HTML is off: a `<` written
in a text is always escaped), so finding them again in the HTML is exact:

    <span class="reference" data-reference="DEC240187DAJ">DEC 240187 DAJ</span>
    <a class="citation" data-reference="DEC240187DAJ" data-doc="decisions/dec240187daj">…</a>

The second names the cited document by its id (`doc_links`): the faces give it its URL.

The read side uses `unlink` to turn back into plain marks the citations of documents
a viewer may not see: no link then tells them such a document exists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping

from ..text import JOINED_REFERENCE
from . import doc_links

_MARK = re.compile(
    rf'<(span|a) class="(?:reference|citation)" data-reference="({JOINED_REFERENCE})"'
    rf'(?: {doc_links.DOC}="([^"]*)")?>([^<]*)</\1>'
)


def mark(reference: str, written: str) -> str:
    """The HTML of a reference as written in a text, not (yet) a link."""
    return _plain(reference, html.escape(written))


def _plain(reference: str, shown: str) -> str:
    return f'<span class="reference" data-reference="{reference}">{shown}</span>'


def _cited(reference: str, doc_id: str, shown: str) -> str:
    return f'<a class="citation" data-reference="{reference}"{doc_links.mark(doc_id)}>{shown}</a>'


def link(rendered: str, targets: Mapping[str, str]) -> str:
    """The HTML with each marked reference linked to the id `targets` gives it (and the
    others not linked): the same result whatever links the HTML held before."""
    if "data-reference=" not in rendered:
        return rendered

    def relink(found: re.Match[str]) -> str:
        reference, written = found.group(2), found.group(4)
        doc_id = targets.get(reference)
        return _plain(reference, written) if doc_id is None else _cited(reference, doc_id, written)

    return _MARK.sub(relink, rendered)


def unlink(rendered: str, hidden: Collection[str]) -> str:
    """The HTML without the links of citations to the documents `hidden` (ids)."""

    def plain(found: re.Match[str]) -> str:
        target = found.group(3)
        if target is None or html.unescape(target) not in hidden:
            return found.group(0)
        return _plain(found.group(2), found.group(4))

    return _MARK.sub(plain, rendered)
