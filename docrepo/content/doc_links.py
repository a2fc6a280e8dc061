"""Links to documents in rendered HTML, written as marks of their ids, not as URLs.

The content side does not know where the web faces serve a document. Rendering writes a
relative `.md` link, and citation linking a cited reference, as a mark of the id it
names, `<a data-doc="decisions/2024/dec240187daj" data-anchor="article-2">`; the faces,
serving the HTML, turn each mark into an address with their one URL builder
(`addressed`). A change of URLs so needs no new index.

Markdown cannot write such a mark (raw HTML is off, and a `"` written in a text or in a
link's title is always escaped), so finding them again in the HTML is exact.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote

#: the attributes of a mark: the id of the document, and the fragment of the link
DOC, ANCHOR = "data-doc", "data-anchor"
_MARK = re.compile(rf' {DOC}="([^"]*)"(?: {ANCHOR}="([^"]*)")?')


def mark(doc_id: str) -> str:
    """The attribute marking a link to the document `doc_id` (to put in an `<a>` tag)."""
    return f' {DOC}="{html.escape(doc_id)}"'


def addressed(rendered: str, doc_url: Callable[[str], str]) -> str:
    """The HTML with each mark made an `href`: `doc_url(id)`, and the link's fragment."""
    if f' {DOC}="' not in rendered:
        return rendered

    def address(found: re.Match[str]) -> str:
        url = doc_url(html.unescape(found.group(1)))
        if found.group(2) is not None:
            url += "#" + quote(html.unescape(found.group(2)))
        return f' href="{html.escape(url)}"'

    return _MARK.sub(address, rendered)
