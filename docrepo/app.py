"""The web application's composition root: `create_app(settings)` puts the search
library and the web faces together; `from_environment` is the factory that
`uvicorn --factory docrepo.app:from_environment` and `docrepo serve --workers N` run in
each web worker."""

from __future__ import annotations

from starlette.applications import Starlette

from .config import Settings, load_settings
from .content.taxonomy import load_taxonomy
from .search.library import Library
from .store import whoosh_internals
from .webapp.app import build_app


def create_app(settings: Settings) -> Starlette:
    """The web application over the index of `settings.index` (it only reads it)."""
    whoosh_internals.install()
    taxonomy, _ = load_taxonomy(settings.content)
    return build_app(settings, Library(settings.index, settings.content), taxonomy)


def from_environment() -> Starlette:
    """The application with settings from DOCREPO_* and docrepo.toml."""
    return create_app(load_settings())
