"""Markdown to safe HTML: raw HTML off, heading ids, a table of contents, `.md` links
marked with the id they name (`doc_links`: the faces give them their URLs), and the
references the text cites marked (`citations`).

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
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..text import TYPED_REFERENCE, WORD_PATTERN, joined_reference
from .citations import mark
from .doc_links import ANCHOR, DOC

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
    md.core.ruler.after("text_join", "references", _mark_references)
    md.add_render_rule("reference", _render_reference)
    return md


def _mark_references(state: StateCore) -> None:
    """Split out of the text every reference it holds (`DEC 240187 DAJ`) as a `reference`
    token, but in links (the editor chose where they go) and in code (`code_inline`,
    fences and code blocks are not text tokens). Most paragraphs hold none: their source
    is looked at once, before their tokens."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if not TYPED_REFERENCE.search(block.content) and "&" not in block.content:
            continue  # (an entity could spell a reference out in the text)
        children: list[Token] = []
        in_link = 0
        for child in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            if child.type != "text" or in_link or not TYPED_REFERENCE.search(child.content):
                children.append(child)
                continue
            start = 0
            for found in TYPED_REFERENCE.finditer(child.content):
                if found.start() > start:
                    children.append(_text(child.content[start : found.start()]))
                reference = Token("reference", "", 0, content=found.group(0))
                reference.meta["reference"] = joined_reference(found)
                children.append(reference)
                start = found.end()
            if start < len(child.content):
                children.append(_text(child.content[start:]))
        block.children = children


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _render_reference(
    self: RendererProtocol, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return mark(token.meta["reference"], token.content)


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


@dataclass(frozen=True)
class Citation:
    """A reference written in the text (joined, upper-cased), and the line it is on."""

    reference: str
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
    #: the references of the text, once each, at their first line
    citations: list[Citation] = field(default_factory=list)


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
        if child.type in ("text", "code_inline", "reference"):
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
    cited: dict[str, int] = {}
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
        breaks = 0  # the lines of a paragraph before the current child
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            elif child.type == "reference":
                cited.setdefault(child.meta["reference"], line + breaks)
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
            attrs = {key: value for key, value in child.attrs.items() if key != "href"}
            child.attrs = {DOC: target, **({ANCHOR: fragment} if fragment else {}), **attrs}
    html = _MD.renderer.render(tokens, _MD.options, env)
    text = "\n".join(p for p in text_parts if p.strip())
    citations = [Citation(reference, n) for reference, n in cited.items()]
    return Rendered(html, text, toc, links, brackets_escaped, heading_words, citations)
