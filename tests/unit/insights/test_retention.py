"""Days older than insights_days are deleted by the process that records, and the
settings refuse more than 760 days."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from docrepo.config import load_settings
from docrepo.errors import ConfigError
from docrepo.insights import storage
from docrepo.insights.events import Search
from docrepo.insights.recorder import Recorder

TODAY = dt.date(2026, 6, 30)


def test_days_older_than_insights_days_are_deleted(tmp_path: Path) -> None:
    """Kept 30 days: a search of 31 days ago goes at the next write, one of 29 days stays."""
    path = tmp_path / "insights.sqlite"
    db = storage.open_for_writing(path)
    old = [Search(TODAY - dt.timedelta(days=back), f"q{back}", "page", 1) for back in (30, 29)]
    storage.write(db, old, [])
    db.close()
    recorder = Recorder(path, keep_days=30, today=lambda: TODAY)
    recorder.search("nouvelle", "page", 3, [])
    recorder.close()
    with sqlite3.connect(path) as db:
        days = [row[0] for row in db.execute("SELECT day FROM searches ORDER BY day")]
    assert days == ["2026-06-01", "2026-06-30"]


def test_insights_days_is_at_most_760(tmp_path: Path) -> None:
    """25 months at most (the CNIL's limit for audience measurement); off is a value."""
    with pytest.raises(ConfigError, match="insights_days"):
        load_settings({}, {"DOCREPO_INSIGHTS_DAYS": "761"}, tmp_path)
    settings = load_settings(
        {}, {"DOCREPO_INSIGHTS": "OFF", "DOCREPO_INSIGHTS_DAYS": "760"}, tmp_path
    )
    assert (settings.insights, settings.insights_days) == ("off", 760)
