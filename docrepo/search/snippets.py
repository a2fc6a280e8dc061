"""Snippets: the passage of a document around the query's words, the words marked."""

from __future__ import annotations

import bisect
import dataclasses
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..analysis import WORD, WORD_PATTERN, fold
from .query import ANALYZERS
from .result import AttachmentPlace, Section

SNIPPET_WORDS = 36


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


@dataclass
class SeenWords:
    """The words already looked at for a page's snippets in one language, and those of
    them that a query term matches."""

    words: set[str] = field(default_factory=set)
    hits: set[str] = field(default_factory=set)


def _hit_words(words: set[str], terms: set[str], lang: str, seen: SeenWords) -> set[str]:
    """The words (as written) that a query term matches."""
    analyzer = ANALYZERS[lang]
    # a stem is its word, folded, but for its last letters (Snowball changes endings, at
    # most the last letter of what it keeps: "skies" → "sky", "chevaux" → "cheval"): a
    # word that begins with no term but its last letter is not stemmed (nearly all)
    beginnings = tuple({term[:-1] or term for term in terms})
    for word in words - seen.words:
        lowered = word.lower()  # stop words stand for themselves, unfolded
        if (
            lowered.startswith(beginnings) or fold(lowered).startswith(beginnings)
        ) and not terms.isdisjoint(analyzer.word_terms(lowered)):
            seen.hits.add(word)
    seen.words |= words
    return words & seen.hits


#: words and what separates them, alternately: separator, word, separator, …, separator
_WORDS_AND_GAPS = re.compile(f"({WORD})")
#: private-use characters (taken out of texts) around the marked words until escaping
_MARK, _END_MARK = "\ue000", "\ue001"
#: what a snippet shows between two blocks of a text (heading, paragraph, list item, table
#: cell, line of code), so that they do not read as one sentence; nothing more than a
#: space when the first block ends with punctuation of its own
BLOCK_SEPARATOR = " · "
_BLOCK_END = tuple(".:;!?…")


def _blocks_text(record: dict[str, Any]) -> str:
    """The summary and text of a record on one line, blocks (one a line in the record)
    separated as snippets show them; its words are those of the record, in order."""
    return _joined("\n".join(p for p in (record.get("summary"), record["text"]) if p))


def _joined(text: str) -> str:
    """A text's blocks (one a line) on one line, separated as snippets show them."""
    text = text.replace(_MARK, "").replace(_END_MARK, "")
    joined = ""
    for block in text.split("\n"):
        block = " ".join(block.split())
        if block and joined:
            joined += " " if joined.endswith(_BLOCK_END) else BLOCK_SEPARATOR
        joined += block
    return joined


@dataclass(frozen=True)
class Passage:
    """A snippet, and the word of the document's summary and text where its first match
    is (None: no match, the snippet is the document's lead)."""

    html: str
    word: int | None
    #: how well it matches: distinct words matched (times 10) and matches (-1: none)
    score: int = -1
    #: the attached file (and page) it comes from; None: the document's own text
    attachment: AttachmentPlace | None = None


def passage(record: dict[str, Any], terms: set[str], seen: SeenWords | None = None) -> Passage:
    """A passage of a record's own text around the query's words, with matches in
    <mark> and all else escaped, and where in the record's words it was found."""
    lead = record.get("summary")
    return _passage(_blocks_text(record), lead, terms, record["lang"], seen or SeenWords())


def best_passage(
    record: dict[str, Any], terms: Mapping[str, set[str]], seen: Mapping[str, SeenWords]
) -> Passage:
    """The passage that matches best, of the record's own text or of a page of one of its
    attached files (each in its language: `terms` and `seen` by language); the own text
    wins a tie. A passage of an attached file says which file and page (`word` None)."""
    found = passage(record, terms[record["lang"]], seen[record["lang"]])
    for attached in record.get("attachments", ()):
        lang = attached["lang"]
        for number, page in enumerate(attached["text"], 1):
            candidate = _passage(_joined(page), None, terms[lang], lang, seen[lang])
            if candidate.score > found.score:
                place = AttachmentPlace(
                    attached["name"], attached["title"], number if attached["pages"] else None
                )
                found = dataclasses.replace(candidate, word=None, attachment=place)
    return found


def _passage(text: str, lead: str | None, terms: set[str], lang: str, seen: SeenWords) -> Passage:
    parts = _WORDS_AND_GAPS.split(text) if terms else [text]
    words = parts[1::2]
    matching = _hit_words(set(words), terms, lang, seen)
    hits = [i for i, word in enumerate(words) if word in matching] if matching else []
    if not hits:
        lead = lead or text
        lead_words = lead.split()
        short = " ".join(lead_words[:SNIPPET_WORDS])
        return Passage(_escape(short) + (" …" if len(lead_words) > SNIPPET_WORDS else ""), None)
    best_start, best_score = 0, -1
    for k, first in enumerate(hits):
        window = hits[k : bisect.bisect_left(hits, first + SNIPPET_WORDS, k)]
        score = len({words[h].lower() for h in window}) * 10 + len(window)
        if score > best_score:
            best_start, best_score = first, score
    begin = max(0, best_start - 6)
    end = min(len(words), begin + SNIPPET_WORDS)
    marked = set(hits)
    passage = []
    for i in range(begin, end):
        passage.append(f"{_MARK}{words[i]}{_END_MARK}" if i in marked else words[i])
        passage.append(parts[2 * i + 2])  # what follows the word
    passage.pop()  # not after the last one
    marked_up = _escape("".join(passage)).replace(_MARK, "<mark>").replace(_END_MARK, "</mark>")
    before = "… " if begin > 0 else ""
    after = " …" if end < len(words) else ""
    return Passage(f"{before}{marked_up}{after}".strip(), best_start, best_score)


def section_of(record: dict[str, Any], word: int | None) -> Section | None:
    """The section (the nearest heading above) of a word of a record's summary and text."""
    summary = record.get("summary")
    if word is None or not record.get("sections"):
        return None
    word -= len(WORD_PATTERN.findall(summary)) if summary else 0
    found = None
    for start, anchor, title in record["sections"]:
        if start > word:
            break
        found = Section(title, anchor)
    return found if word >= 0 else None
