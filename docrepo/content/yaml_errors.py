"""What a YAML parser's error means to the person who wrote the file."""

from __future__ import annotations

import yaml

from ..i18n import N_

TAB = N_("a tab on this line: YAML indents with spaces only; replace the tab with spaces")
NOT_YAML = N_("not valid YAML: {what}")


def yaml_problem(
    exc: yaml.YAMLError, text: str, message: str = NOT_YAML
) -> tuple[int, str, dict[str, str]]:
    """The line of a YAML error, its message and the message's values: `message` with
    `{what}` the parser's words or, when the line holds a tab, that it is the tab.

    PyYAML's words for a tab differ between its two parsers and neither names it
    (libyaml: "found character that cannot start any token").
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else 1
    lines = text.split("\n")
    if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
        return line, TAB, {}
    what = getattr(exc, "problem", None) or " ".join(str(exc).split())
    return line, message, {"what": what}
