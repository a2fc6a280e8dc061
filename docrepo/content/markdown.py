"""Markdown to safe HTML: raw HTML off, heading ids, a table of contents, `.md` links to `/doc/`.

Rendering runs on text written by editors and must stay safe and fast whatever they
write: raw HTML is shown escaped, markdown-it's link validation keeps only safe schemes,
and a text with pathological numbers of brackets (quadratic in markdown-it) has them
escaped before rendering.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..text import WORD_PATTERN

#: Above this many `[` in one text, markdown-it's link parsing becomes slow: they are escaped.
MAX_BRACKETS = 2000


def slugify(text: str) -> str:
    """A heading id: accents folded, lowercase, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug or "section"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


def _give_heading_ids(tokens: list[Token]) -> None:
    """An id for every heading: its slug, made unique with a counter per slug (probing
    `a-1`, `a-2`… from 1 for each heading was quadratic: 16,000 equal headings took 12 s)."""
    used: set[str] = set()
    next_of: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        slug = slugify(_inline_text(tokens[i + 1]))
        anchor, n = slug, next_of.get(slug, 0)
        while anchor in used:
            n += 1
            anchor = f"{slug}-{n}"
        next_of[slug] = n
        used.add(anchor)
        token.attrSet("id", anchor)


_MD = _parser()


@dataclass(frozen=True)
class Heading:
    """One entry of the table of contents."""

    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Link:
    """A relative link to another document, by its id, and the line it is on."""

    target: str
    line: int


@dataclass
class Rendered:
    """What rendering one text gives: HTML, plain text for search, outline and links."""

    html: str
    text: str
    toc: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    brackets_escaped: bool = False
    #: the number of words of `text` before each heading of `toc` (where its section starts)
    heading_words: list[int] = field(default_factory=list)


def _doc_link(href: str, doc_id: str) -> str | None:
    """The id a relative `.md` link points to, or None if it is not one ('' if it leaves)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md") or href.startswith("/"):
        return None
    # markdown-it has percent-encoded the link already: `été.md` arrives as `%C3%A9t%C3%A9.md`
    target = posixpath.normpath(posixpath.join(posixpath.dirname(doc_id), unquote(parts.path)))
    if target.startswith("../") or target == "..":
        return ""
    return target[: -len(".md")]


def _inline_text(token: Token) -> str:
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


def render(source: str, doc_id: str, first_line: int = 1) -> Rendered:
    """Render a document's Markdown body; `first_line` is the file line of its first line."""
    brackets_escaped = source.count("[") > MAX_BRACKETS
    if brackets_escaped:
        source = source.replace("[", "\\[")
    env: dict[str, object] = {}
    tokens = _MD.parse(source, env)
    _give_heading_ids(tokens)
    toc: list[Heading] = []
    heading_words: list[int] = []
    links: list[Link] = []
    text_parts: list[str] = []
    words = 0
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title = _inline_text(tokens[i + 1])
            toc.append(Heading(int(token.tag[1]), str(token.attrGet("id") or ""), title))
            heading_words.append(words)
        if token.type in ("fence", "code_block"):
            text_parts.append(token.content)
            words += len(WORD_PATTERN.findall(token.content))
        if token.type != "inline":
            continue
        text_parts.append(_inline_text(token))
        words += len(WORD_PATTERN.findall(text_parts[-1]))
        line = first_line + (token.map[0] if token.map else 0)
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            target = _doc_link(href, doc_id)
            if target is None:
                continue
            links.append(Link(target, line))
            if not target:
                continue  # it leaves the content directory: reported, left as written
            fragment = urlsplit(href).fragment
            child.attrSet(
                "href", "/doc/" + quote(target) + (f"#{quote(fragment)}" if fragment else "")
            )
    html = _MD.renderer.render(tokens, _MD.options, env)
    text = "\n".join(p for p in text_parts if p.strip())
    return Rendered(html, text, toc, links, brackets_escaped, heading_words)
