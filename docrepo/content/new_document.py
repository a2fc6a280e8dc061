"""The text of a new document (`docrepo new`): the front matter the table of fields
(`documents.FIELDS`) says a document of its type needs and offers, as a draft to fill."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from ..text import REFERENCE
from .documents import FIELDS
from .taxonomy import Taxonomy

#: a new document is a draft: checked, never published, until its editor says so
DRAFT = "draft  # remove this line when the text is ready to publish"


def new_document(doc_type: str, relative: str, taxonomy: Taxonomy, today: dt.date) -> str:
    """The fields the type requires or offers, in the table's order: those whose value is
    known first (today's date; a file named after a reference gives it, and its issuer),
    then the others commented out with an example."""
    known = {
        "title": f"{taxonomy.label('types', doc_type)} — titre à compléter",
        "type": doc_type,
        "status": DRAFT,
        "date": today.isoformat(),
    }
    name = PurePosixPath(relative).stem.upper()
    reference = REFERENCE.fullmatch(name)
    if reference:
        known["reference"] = name
        if taxonomy.has("issuers", reference.group(3)):
            known["issuer"] = reference.group(3)
    written, to_fill = [], []
    for field_name, spec in FIELDS.items():
        if doc_type not in spec.required and doc_type not in spec.offered:
            continue
        if field_name in known:
            written.append(f"{field_name}: {known[field_name]}")
        else:
            to_fill.append(f"# {field_name}: {'[]' if spec.is_list else spec.example}")
    return "\n".join(["---", *written, *to_fill, "---", "", "Texte du document.", ""])
