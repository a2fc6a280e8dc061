"""Interface languages and the labels that are not in the taxonomy."""

from __future__ import annotations

UI_LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

STATUS_LABELS = {
    "in-force": {"fr": "En vigueur", "en": "In force"},
    "repealed": {"fr": "Abrogé", "en": "Repealed"},
    "draft": {"fr": "Brouillon", "en": "Draft"},
}
LANG_LABELS = {
    "fr": {"fr": "Français", "en": "French"},
    "en": {"fr": "Anglais", "en": "English"},
}
