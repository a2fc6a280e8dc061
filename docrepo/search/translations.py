"""One result per text: of a text's language versions that a search matches, the one in
the reader's language is shown, else the best match (the first by id: a text has one
version per language, so with two languages this is the other one); and the versions of
a shown text that the viewer may see (`translations`).

A text is the group of a document and its translations (`Columns.texts`, indexed as the
original's id). Counting texts, not files, is counting the documents a mask keeps
after `one_per_text`; the `lang` facet alone counts each language's versions, since
ticking a language lists its versions whatever the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .columns import Columns
from .result import Translation
from .snapshot import Snapshot


def one_per_text(columns: Columns, mask: np.ndarray, language: str) -> np.ndarray:
    """The documents of a mask, one per text: the version in `language` when the mask
    holds it, else its first version by id (a new mask; `mask` itself when no text has
    several versions)."""
    if not columns.translated:
        return mask
    docs = np.flatnonzero(mask)
    texts = columns.text_of[docs]
    other = ~columns.any_of("lang", (language,))[docs]
    order = np.lexsort((columns.id_rank[docs], other, texts))
    first = np.unique(texts[order], return_index=True)[1]
    kept = np.zeros_like(mask)
    kept[docs[order][first]] = True
    return kept


def versions(
    snap: Snapshot, record: dict[str, Any], visible: np.ndarray
) -> tuple[Translation, ...]:
    """The other language versions of a record's text that the viewer may see (a hidden
    one is never named), in the order of their languages."""
    found: list[Translation] = []
    ids: Sequence[str] = record.get("translations") or ()
    for doc_id in ids:
        number = snap.number_of(doc_id)
        if number is not None and visible[number]:
            other = snap.record(number)
            found.append(Translation(other["lang"], doc_id, other["title"]))
    return tuple(sorted(found, key=lambda t: (t.lang, t.id)))
