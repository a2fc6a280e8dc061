"""What a YAML parser's error means to the person who wrote the file."""

from __future__ import annotations

import yaml

TAB = "a tab on this line: YAML indents with spaces only; replace the tab with spaces"


def yaml_problem(
    exc: yaml.YAMLError, text: str, subject: str = "not valid YAML", advice: str = ""
) -> tuple[int, str]:
    """The line of a YAML error and its message: `subject: what the parser says; advice`,
    or, when the line holds a tab, that it is the tab.

    PyYAML's words for a tab differ between its two parsers and neither names it
    (libyaml: "found character that cannot start any token").
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = getattr(exc, "problem", None) or " ".join(str(exc).split())
    line = mark.line + 1 if mark else 1
    lines = text.split("\n")
    if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
        return line, TAB
    return line, f"{subject}: {what}{advice}"
