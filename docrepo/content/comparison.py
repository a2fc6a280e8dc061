"""What changed between two renderings of a text, word by word, shown inside the text.

The rendered HTML is cut into its top-level blocks (paragraphs, headings, lists,
tables…); blocks are matched between the two versions, and a block that changed is
compared word by word. The result keeps the newer version's markup whole: inserted
words are wrapped in `<ins>`, removed words are put back as text in `<del>` (their
markup left out), so that the output is always well nested. A block added or removed
whole is marked so too, in a `<div class="diff-added">` or `"diff-removed"`.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"<[^>]*>|[^<\s]+|\s+")
_TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
_ID = re.compile(r'\s(?:id)="[^"]*"')
_VOID = {"br", "hr", "img", "input", "wbr"}


def _is_tag(token: str) -> bool:
    return token.startswith("<")


def blocks(html: str) -> list[str]:
    """The top-level elements of a rendering (text between them dropped)."""
    found: list[str] = []
    depth, start = 0, 0
    for match in re.finditer(r"<[^>]*>", html):
        tag = match.group(0)
        name = _TAG_NAME.match(tag)
        if name is None or tag.startswith("<!"):
            continue
        if tag.startswith("</"):
            depth -= 1
            if depth == 0:
                found.append(html[start : match.end()])
        elif name.group(1).lower() in _VOID or tag.endswith("/>"):
            if depth == 0:
                found.append(tag)
        else:
            if depth == 0:
                start = match.start()
            depth += 1
    return found


def _wrap(tokens: list[str], element: str) -> str:
    """Tokens with each run of words (not markup) wrapped in `element`."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text.strip():
            out.append(f"<{element}>{text}</{element}>")
        else:
            out.append(text)
        run.clear()

    for token in tokens:
        if _is_tag(token):
            flush()
            out.append(token)
        else:
            run.append(token)
    flush()
    return "".join(out)


def _removed(tokens: list[str]) -> str:
    """The words of removed tokens, in one `<del>` (their markup dropped)."""
    text = "".join(t for t in tokens if not _is_tag(t))
    return f"<del>{text}</del>" if text.strip() else text


#: above this many token pairs, comparing a block word by word (quadratic) would hold a
#: request for seconds: the block is shown removed, then added, whole
MAX_TOKEN_PAIRS = 1_000_000


def compare_block(old: str, new: str) -> str:
    """One block of the newer version with the words changed since the older marked."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(before) * len(after) > MAX_TOKEN_PAIRS:
        return _removed(before) + _wrap(after, "ins")
    out: list[str] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(after[j1:j2])
            continue
        if op in ("delete", "replace"):
            out.append(_removed(before[i1:i2]))
        if op in ("insert", "replace"):
            out.append(_wrap(after[j1:j2], "ins"))
    return "".join(out)


def _tag_of(block: str) -> str:
    name = _TAG_NAME.match(block)
    return name.group(1).lower() if name else ""


def _whole(block: str, added: bool) -> str:
    if added:
        return f'<div class="diff-added">{_wrap(_TOKEN.findall(block), "ins")}</div>'
    # ids of a removed block would repeat those of the newer text
    tokens = [_ID.sub("", t) if _is_tag(t) else t for t in _TOKEN.findall(block)]
    return f'<div class="diff-removed">{_wrap(tokens, "del")}</div>'


def compare_html(old: str, new: str) -> str:
    """The newer rendering with what changed since the older one marked."""
    before, after = blocks(old), blocks(new)
    out: list[str] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(after[j1:j2])
        elif op == "delete":
            out.extend(_whole(b, added=False) for b in before[i1:i2])
        elif op == "insert":
            out.extend(_whole(b, added=True) for b in after[j1:j2])
        else:
            out.extend(_pair(before[i1:i2], after[j1:j2]))
    return "\n".join(out)


def _pair(before: list[str], after: list[str]) -> list[str]:
    """Changed blocks, compared in pairs of the same kind; the rest removed or added."""
    out: list[str] = []
    for index in range(max(len(before), len(after))):
        old = before[index] if index < len(before) else None
        new = after[index] if index < len(after) else None
        if old is not None and new is not None and _tag_of(old) == _tag_of(new):
            out.append(compare_block(old, new))
            continue
        if old is not None:
            out.append(_whole(old, added=False))
        if new is not None:
            out.append(_whole(new, added=True))
    return out
