"""A `SearchRequest` parsed from query-string parameters: good ones become its fields, a
malformed one is a BadRequest that names it."""

from __future__ import annotations

import datetime as dt

import pytest

from docrepo.errors import BadRequest
from docrepo.search.request import SearchRequest


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "0"),
        ("page", "abc"),
        ("page", "-1"),
        ("page", "1.5"),
        ("per_page", "101"),
        ("per_page", "0"),
        ("per_page", "ten"),
        ("from", "2024-13-01"),
        ("to", "2024-02-30"),
        ("from", "yesterday"),
        ("sort", "foo"),
    ],
)
def test_bad_parameters_raise_bad_request(name: str, value: str) -> None:
    """A malformed page, per_page, date or sort is a BadRequest naming the parameter."""
    with pytest.raises(BadRequest) as caught:
        SearchRequest.from_params({name: [value]})
    assert caught.value.parameter == name
    assert value in str(caught.value)


def test_good_parameters_parse() -> None:
    """Valid parameters become the request's fields; repeated filters keep their order."""
    request = SearchRequest.from_params(
        {
            "q": ["  télétravail "],
            "type": ["decision", "circular", "decision"],
            "from": ["2024-01-01"],
            "to": ["2024-12-31"],
            "sort": ["oldest"],
            "page": ["2"],
            "per_page": ["100"],
        }
    )
    assert request.q == "télétravail"
    assert request.filters == {"type": ("decision", "circular")}
    assert (request.date_from, request.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (request.sort, request.page, request.per_page) == ("oldest", 2, 100)
