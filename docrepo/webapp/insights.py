"""Search insights on the web: searches and opened results recorded (never slowing a
search), and `/insights` and `/api/insights` for editors (a 404 for anyone else)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..access import EVERYONE
from ..config import DEFAULT_INSIGHTS_DAYS
from ..content.synonyms import load_synonyms
from ..errors import BadRequest, Message, NotFound
from ..i18n import N_
from ..insights.events import MAX_EVENT_BYTES, BadEvent, parse_opened
from ..insights.recorder import Recorder
from ..insights.report import Report, read_report
from ..search.request import SearchRequest
from ..search.result import SearchResult
from .middleware import BEACON_PATH
from .site import labels_of, private, reader_of, render, site_of, viewer_of
from .urls import search_url

#: the path the browser sends an opened result to (`navigator.sendBeacon`)
EVENT_PATH = BEACON_PATH


def recorder_of(request: Request) -> Recorder:
    recorder: Recorder = site_of(request).insights
    return recorder


def record_search(
    request: Request, search: SearchRequest, result: SearchResult, source: str
) -> None:
    """Record a search (page 1 only: a later page is the same search)."""
    if search.page != 1 or not search.q:
        return
    filters = [(facet, value) for facet, values in search.filters.items() for value in values]
    dates = (("from", search.date_from), ("to", search.date_to), ("at", search.at))
    filters += [(name, "") for name, day in dates if day]
    recorder_of(request).search(search.q, source, result.total, filters)


async def opened_event(request: Request) -> Response:
    """A result opened from a search, sent by the page or the widget with
    `navigator.sendBeacon` (204 whether kept or ignored: nothing to learn from it)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_EVENT_BYTES:
            message = Message.of(N_("the event is over {size} bytes"), size=MAX_EVENT_BYTES)
            return private(Response(message.text(), status_code=413))
    recorder = recorder_of(request)
    try:
        event = parse_opened(body, recorder.today(), recorder.clock())
    except BadEvent as exc:
        return private(Response(exc.message.text(), status_code=400))
    if reader_of(request).document(event.doc, EVERYONE) is not None:
        recorder.opened(event)
    return private(Response(status_code=204))


def _report(request: Request) -> Report:
    """The report asked for, for an editor (anyone else: a 404, as for a hidden page)."""
    site = site_of(request)
    if not viewer_of(request).member_of(site.settings.editor_groups):
        raise NotFound("no page /insights")
    longest = site.settings.insights_days
    raw = request.query_params.get("days", "")
    days = min(DEFAULT_INSIGHTS_DAYS, longest)
    if raw:
        if not raw.isdigit() or not 1 <= int(raw) <= longest:
            message = N_("'{name}' must be an integer from 1 to {high}, not {value}")
            raise BadRequest("days", Message.of(message, name="days", high=longest, value=raw))
        days = int(raw)
    recorder = recorder_of(request)
    recorder.flush(settle=True)
    synonyms, _ = load_synonyms(site.settings.content)
    return read_report(recorder.path, days, recorder.today(), synonyms)


def api_insights(request: Request) -> Response:
    report = _report(request)
    data = {"recording": recorder_of(request).state, **report.as_json()}
    return private(JSONResponse(data))


def chart(report: Report, title: str) -> Markup:
    """Searches per day as bars (those that found nothing darker), drawn on the server."""
    width, height, top = 720, 150, 16
    peak = max((n for _, n, _ in report.per_day), default=0) or 1
    step = width / len(report.per_day)
    bars = []
    for i, (_, n, none) in enumerate(report.per_day):
        x = f"{i * step:.2f}"
        w = f"{max(step - 1, 0.5):.2f}"
        for value, kind in ((n, "bar"), (none, "bar-none")):
            h = value / peak * (height - top)
            if h:
                bars.append(f'<rect class="{kind}" x="{x}" y="{height - h:.2f}" '
                            f'width="{w}" height="{h:.2f}"/>')  # fmt: skip
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height + 20}" role="img" '
        f'aria-label="{escape(title)}">'
        f'<line class="axis" x1="0" y1="{height}" x2="{width}" y2="{height}"/>'
        f'<text class="peak" x="2" y="12">{peak}</text>{"".join(bars)}'
        f'<text x="0" y="{height + 16}">{escape(report.first.isoformat())}</text>'
        f'<text x="{width}" y="{height + 16}" text-anchor="end">'
        f"{escape(report.last.isoformat())}</text></svg>"
    )


def insights_page(request: Request) -> Response:
    report = _report(request)
    reader, viewer = reader_of(request), viewer_of(request)
    gettext = labels_of(request).gettext
    titles: dict[str, Any] = {}
    for doc, _ in report.documents:
        record = reader.document(doc, viewer)
        titles[doc] = record["title"] if record else None
    summary = gettext(N_("Searches per day, from %(first)s to %(last)s: %(n)s searches")) % {
        "first": report.first.isoformat(), "last": report.last.isoformat(), "n": report.searches
    }  # fmt: skip
    return render(
        request,
        "insights.html",
        report=report,
        recording=recorder_of(request).state,
        chart=chart(report, summary),
        titles=titles,
        query_url=lambda q: search_url(SearchRequest(q=q)),
        day_choices=[d for d in (7, 30, 90, 365) if d <= site_of(request).settings.insights_days],
    )
