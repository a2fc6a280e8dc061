"""docrepo's query tree as Whoosh's queries: Whoosh's own matchers are the reference the
array engine is checked against (tests/unit/search/test_engine.py)."""

from __future__ import annotations

from whoosh import query as q

from docrepo.search.query import And, DisMax, Or, Phrase, Prefix, Query, Term


def to_whoosh(query: Query) -> q.Query:
    """The Whoosh query that matches (and, but for phrases, scores) as `query` does."""
    if isinstance(query, Term):
        return q.Term(query.field, query.text, boost=query.boost)
    if isinstance(query, Prefix):
        return q.Prefix(query.field, query.text, boost=query.boost)
    if isinstance(query, Phrase):
        slots = [
            q.Term(query.field, slot[0])
            if len(slot) == 1
            else q.DisjunctionMax([q.Term(query.field, t) for t in slot])
            for slot in query.slots
        ]
        return q.Sequence(slots)
    if isinstance(query, DisMax):
        return q.DisjunctionMax([to_whoosh(part) for part in query.parts])
    assert isinstance(query, And | Or)
    if len(query.parts) == 1:
        # Whoosh's compound query of one part returns that part's matcher, without its
        # own boost (`CompoundQuery.matcher`): the boost goes on the part, as Whoosh's
        # `normalize()` puts it (the attached fields' Or((Term,), boost=0.75))
        part = to_whoosh(query.parts[0])
        return part.with_boost(part.boost * query.boost)
    kind = q.And if isinstance(query, And) else q.Or
    return kind([to_whoosh(part) for part in query.parts], boost=query.boost)
