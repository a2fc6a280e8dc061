"""`/doc/{id}/files/{name}`: an attached file of a document, with the document's access.

The file is the one the document's record names (its path relative to the content
directory, found there when it was indexed): a name the record does not hold is a 404,
whatever it is made of, so no URL reaches another file. A viewer who may not see the
document never reaches this page (`pages.under_document` answers 404 as for the
document). Starlette's `FileResponse` answers ranges (PDF viewers read in ranges) and
gives the file's `ETag` and `Last-Modified`.
"""

from __future__ import annotations

import os
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ..errors import NotFound
from .site import private, site_of


def attached_file(request: Request, record: dict[str, Any]) -> Response:
    """The attached file of the request's `name`, shown in the browser (inline)."""
    name = request.path_params["name"]
    attached = next((a for a in record.get("attachments", ()) if a["name"] == name), None)
    if attached is None:
        raise NotFound(f"no attached file {name!r}")
    content = os.path.realpath(site_of(request).settings.content)
    path = os.path.realpath(os.path.join(content, attached["path"]))
    # the file as it is now: a link made to point outside since it was indexed is refused
    if os.path.commonpath([content, path]) != content or not os.path.isfile(path):
        raise NotFound(f"no attached file {name!r}")
    response = FileResponse(path, filename=name, content_disposition_type="inline")
    return private(response)
