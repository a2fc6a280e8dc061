"""docrepo's analysis (`analysis.Analyzer`) as the analyzers of the Whoosh schema.

The schema's text fields hold a `TermAnalyzer`, which wraps the one `Analyzer` the
search also uses for a query's words: tokens for Whoosh where it asks for them, and
each term's positions at once for docrepo's codec (`codec.ArrayPositions`). The schema
is pickled into the index's table of contents: an analyzer pickles as its language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from ..analysis import Analyzer

__all__ = ["TermAnalyzer"]


class TermAnalyzer(Tokenizer):  # type: ignore[misc]
    """A Whoosh analyzer giving the terms of docrepo's `Analyzer`."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of `value` with the positions of the words it comes from."""
        return self.analyzer.positions(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TermAnalyzer) and other.analyzer == self.analyzer

    def __hash__(self) -> int:
        return hash(self.analyzer)

    def __getstate__(self) -> dict[str, Any]:
        return {"language": self.analyzer.language}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.analyzer = Analyzer(state["language"])

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match, terms in self.analyzer.words(value):
            stopped = terms is None
            if stopped and removestops:
                continue
            if keeporiginal:
                token.original = match.group()
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            if positions:
                token.pos = pos
            token.stopped = stopped
            for term in terms or (match.group().lower(),):
                token.text = term
                token.boost = 1.0
                yield token
            if not stopped:
                pos += 1
