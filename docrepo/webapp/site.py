"""What every web face shares: the site object, the viewer, the language, rendering.

Nothing here knows Whoosh: a request asks the `Library` for one `Reader` (one commit of
the index) and takes its `SearchResult`s and records from it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..access import Viewer
from ..config import Settings
from ..content.shown_paths import ShownPaths
from ..content.taxonomy import Taxonomy, load_taxonomy
from ..errors import BadRequest, Message
from ..i18n import N_, UI_LANGS, long_date, translations
from ..insights.recorder import Recorder
from ..search.library import Library, Reader
from ..search.request import SearchRequest
from .hosts import is_loopback
from .i18n import LANG_COOKIE, choose_lang
from .identity import viewer_from_headers
from .labels import Labels
from .urls import attachment_place, doc_url, file_url

WEB_DIR = Path(str(files("docrepo.web")))
STATIC_DIR = WEB_DIR / "static"


@dataclass
class StaticAssets:
    """Static files under content-hashed names (style.3f2a1b9c.css), cached for a year."""

    by_hashed: dict[str, Path] = field(default_factory=dict)
    hashed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def scan(cls, folder: Path) -> StaticAssets:
        assets = cls()
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            name = f"{path.stem}.{digest}{path.suffix}"
            assets.hashed[path.name] = name
            assets.by_hashed[name] = path
        return assets

    def url(self, name: str) -> str:
        return f"/static/{self.hashed[name]}"


@dataclass
class Site:
    """The running site: settings, the library, templates and assets."""

    settings: Settings
    library: Library
    #: the vocabularies last read from content/taxonomy.yml (`taxonomy_of`)
    taxonomy: Taxonomy
    assets: StaticAssets
    #: the templates of each interface language, with its catalog installed
    templates: dict[str, Environment]
    #: the form of the content's paths on the pages, that of `docrepo check`
    shown_paths: ShownPaths
    #: the recording of search insights (off: records nothing)
    insights: Recorder

    @classmethod
    def create(cls, settings: Settings, library: Library, taxonomy: Taxonomy) -> Site:
        assets = StaticAssets.scan(STATIC_DIR)
        templates = {lang: _templates(lang, assets) for lang in UI_LANGS}
        shown_paths = ShownPaths.of(settings.content)
        insights = Recorder.of(settings)
        return cls(settings, library, taxonomy, assets, templates, shown_paths, insights)


def _templates(lang: str, assets: StaticAssets) -> Environment:
    """Jinja2 with the i18n extension: `_()`, `ngettext()` and `{% trans %}` in `lang`."""
    templates = Environment(
        loader=FileSystemLoader(WEB_DIR / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    templates.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    templates.globals.update(
        static=assets.url,
        long_date=long_date,
        doc_url=doc_url,
        file_url=file_url,
        attachment_place=functools.partial(attachment_place, gettext=translations(lang).gettext),
    )
    return templates


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def viewer_of(request: Request) -> Viewer:
    client = request.client.host if request.client else None
    return viewer_from_headers(client, request.headers, site_of(request).settings.trusted_proxies)


def lang_of(request: Request) -> str:
    return choose_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def taxonomy_of(request: Request) -> Taxonomy:
    """The vocabularies a request labels with: content/taxonomy.yml as it is now, read
    again when it changed, as the synonyms are (a label an editor corrects, a code
    added, shows at the next request of every worker, without a restart); while the
    file cannot be read (a save half done), the last that could. One request reads one
    (a version's page, the taxonomy of its commit: `history`)."""
    taxonomy: Taxonomy | None = getattr(request.state, "taxonomy", None)
    if taxonomy is None:
        site = site_of(request)
        read, _ = load_taxonomy(site.settings.content)
        if any(read.vocabularies.values()):
            site.taxonomy = read
        taxonomy = request.state.taxonomy = site.taxonomy
    return taxonomy


def labels_of(request: Request) -> Labels:
    return Labels(taxonomy_of(request), lang_of(request))


def reader_of(request: Request) -> Reader:
    """The request's reader: one commit of the index for the whole request."""
    reader: Reader | None = getattr(request.state, "reader", None)
    if reader is None:
        reader = request.state.reader = site_of(request).library.reader()
    return reader


def query_params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


def search_request(request: Request) -> SearchRequest:
    """The view a URL asks for, its results in the reader's language where a text has it."""
    return replace(SearchRequest.from_params(query_params(request)), language=lang_of(request))


def base_url(request: Request) -> str:
    """The site's public URL, for absolute links: the setting, else the request's, when
    its host is one `allowed_hosts` named or this machine's own (`hosts`); else a 400."""
    settings = site_of(request).settings
    if settings.base_url:
        return settings.base_url.rstrip("/")
    if not settings.allowed_hosts and not is_loopback(request.url.hostname or ""):
        raise BadRequest("Host", Message(UNNAMED_HOST))
    return str(request.base_url).rstrip("/")


UNNAMED_HOST = N_(
    "no link to this site can be built on the host this request names: set base_url (the "
    "site's public URL, e.g. https://docs.example.org) or name the host in allowed_hosts"
)


def private(response: Response) -> Response:
    """Mark a response that depends on who asks (identity, language)."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie, Accept-Language, X-Remote-User, X-Remote-Groups"
    return response


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> Response:
    site = site_of(request)
    lang = lang_of(request)
    viewer = viewer_of(request)
    labels = labels_of(request)
    body = (
        site.templates[lang]
        .get_template(template)
        .render(
            request=request,
            lang=lang,
            viewer=viewer,
            label=labels.vocabulary,
            value_label=labels.of,
            status_label=labels.status,
            facet_title=labels.facet_title,
            sort_label=labels.sort,
            field_label=labels.field,
            also_in=labels.also_in,
            path_with_query=request.url.path
            + (f"?{request.url.query}" if request.url.query else ""),
            urlencode=urlencode,
            **context,
        )
    )
    return private(HTMLResponse(body, status_code=status_code))
