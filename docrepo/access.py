"""Who is looking, and which documents they may see.

Identity comes from the intranet's reverse proxy (headers read by the web faces);
here it is only a `Viewer`. The search core turns a viewer into the set of `access`
terms they may see, so that hidden documents are filtered inside every search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .schema import INTERNAL, PUBLIC, access_terms


@dataclass(frozen=True)
class Viewer:
    """A person (or nobody) reading the documents."""

    user: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)
    #: the command line runs beside the files and sees everything
    sees_all: bool = False

    @property
    def authenticated(self) -> bool:
        return self.user is not None

    def member_of(self, groups: Iterable[str]) -> bool:
        """Whether a signed-in viewer is in one of these groups."""
        return self.authenticated and not self.groups.isdisjoint(groups)

    def access_terms(self) -> set[str] | None:
        """Values of the index's `access` field this viewer may see (None = all)."""
        if self.sees_all:
            return None
        terms = {PUBLIC}
        if self.authenticated:
            terms.add(INTERNAL)
            terms.update(f"group:{g}" for g in self.groups)
        return terms

    def may_see(self, access: list[str]) -> bool:
        allowed = self.access_terms()
        if allowed is None:
            return True
        return not allowed.isdisjoint(access_terms(access))


ANONYMOUS = Viewer()
EVERYONE = Viewer(sees_all=True)
