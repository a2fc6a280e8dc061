"""Scaling out (issue #7): hosts that each follow their own copy of the content answer alike.

Every host of a pool behind the intranet's load balancer has its own clone of the content,
its own index and its own watcher. Here two real `docrepo serve` processes (watching) on
loopback stand for two hosts, over two copies of the bundled sample: they must give the
same answers to the same requests, before and after the same change reaches both copies.

What is compared: the status, the headers a client or a cache acts on, and the body,
byte for byte (HTML) or as JSON. Only two things may differ, both times of the moment,
not answers:

- `/healthz` `indexed_at`: when that host last indexed (its other fields must be equal);
- the Atom `<updated>` of a feed or entry that has no document date: the feed writes when
  the file last changed on that host's copy there (`feeds.atom_feed`), or the time of the
  request for an empty feed. Each one is checked not to lie after its own request before
  it is set aside; dated ones must be equal.

Both hosts have the same settings (`base_url`, `trusted_proxies`), as hosts of one pool
would: without `base_url` the feeds' absolute URLs would name each host's own address.

Then a third host joins after the change: a fresh copy of the content as it now is,
indexed from nothing. It must answer as the host that followed the change does, scores
and the order of ties included.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from support.server import docrepo_server, free_port, serving, settings_environment
from support.trees import SAMPLE_CONTENT, MakeTree, doc

pytestmark = pytest.mark.slow

#: the same settings on every host of the pool
SETTINGS = {"base_url": "https://docs.example.org", "trusted_proxies": "127.0.0.1"}
#: how long a change may take to be searchable on a host before the test fails
CHANGE_DEADLINE = 30.0

EN = {"Accept-Language": "en"}
#: a signed-in member of a group (the loopback is a trusted proxy on both hosts)
DIRECTOR = {"X-Remote-User": "mdurand", "X-Remote-Groups": "directeurs-unite"}


def search(q: str = "", **params: str | list[str]) -> str:
    pairs = [("q", q)] + [
        (name, value)
        for name, values in params.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    return "/api/search?" + "&".join(f"{n}={quote(v)}" for n, v in pairs)


#: (path, request headers): every kind of answer a reader of the pool may get
REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("/healthz", {}),
    # words, accents, plurals; a phrase; an exclusion; OR; a reference; a prefix
    (search("télétravail"), {}),
    (search("teletravail", per_page="100"), {}),
    (search("délégations signature"), {}),
    (search('"délégation de signature"'), {}),
    (search("missions -étranger", per_page="50"), {}),
    (search("ERC OR ANR", per_page="100"), {}),
    (search("dec240187daj"), {}),
    (search("DEC24*"), {}),
    (search("unité", per_page="100"), {}),
    (search("cnrs", page="2", per_page="30"), {}),
    (search("research data management"), {}),
    # a typo that gets a suggestion (accents restored)
    (search("teletravial"), {}),
    (search("délégaton signatur"), {}),
    # filters of several facets, ORed within one, ANDed across; dates
    (search(type=["circular", "decision"], status="in-force"), {}),
    (search(institute="INSB", region=["DR13", "DR12"]), {}),
    (search("mission", theme="missions", lang="en"), {}),
    (search(year=["2023", "2024"], issuer="DRH"), {}),
    (search(**{"from": "2020-01-01", "to": "2022-12-31"}, sort="oldest"), {}),
    (search("signature", type="decision", region="DR13", status="in-force"), {}),
    # sorts and pages
    (search(sort="title", per_page="100"), {}),
    (search(sort="title", page="2", per_page="100"), {}),
    (search(sort="oldest", per_page="100"), {}),
    (search(sort="newest", page="3", per_page="10"), {}),
    (search("note", sort="newest", per_page="100"), {}),
    (search("délégation", sort="title"), {}),
    # the interface language, and a viewer who sees internal and group documents
    (search("télétravail", type="circular"), EN),
    (search("note", per_page="100"), DIRECTOR),
    # bad requests
    (search(page="0"), {}),
    (search(sort="foo"), {}),
    # documents, as JSON and as pages (relations, links in and out)
    ("/api/doc/decisions/2024/dec240187daj", {}),
    ("/api/doc/decisions/2020/dec201155daj", {}),
    ("/api/doc/regions/dr13", {}),
    ("/api/doc/units/umr5203", {}),
    ("/api/doc/pages/espace-directeurs-unite", DIRECTOR),
    ("/api/doc/pages/espace-directeurs-unite", {}),
    ("/api/doc/nothing/here", {}),
    ("/doc/decisions/2024/dec240187daj", {}),
    ("/doc/decisions/2020/dec201155daj", EN),
    ("/doc/regions/dr13", {}),
    ("/doc/pages/glossaire", {}),
    ("/doc/nothing/here", {}),
    # the pages of a view, and its feeds (with documents dated and undated)
    ("/?q=" + quote("délégation signature") + "&type=decision", {}),
    ("/?region=DR13&sort=newest", EN),
    ("/feed.atom", {}),
    ("/feed.atom?q=" + quote("télétravail"), {}),
    ("/feed.atom?type=unit&institute=INSB", EN),
    ("/feed.atom?type=unit&q=zzzzzz", {}),
    ("/problems", {}),
    ("/opensearch.xml", {}),
]

#: the headers compared (Date and Server are the moment's and the host's own)
COMPARED_HEADERS = (
    "content-type", "cache-control", "vary", "location", "content-security-policy",
    "x-content-type-options", "referrer-policy",
)  # fmt: skip

# --------------------------------------------------------------------------- fetching


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to compare, not to follow


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Answer:
    """One response, with the moments before and after it (for the feeds' times)."""

    status: int
    headers: dict[str, str]
    body: bytes
    before: dt.datetime
    after: dt.datetime


def fetch(url: str, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(url, headers=headers or {})
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        with _OPENER.open(request, timeout=15) as response:
            status, raw_headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, body = error.code, error.headers, error.read()
    after = dt.datetime.now(dt.UTC)
    kept = {name: raw_headers[name] for name in COMPARED_HEADERS if name in raw_headers}
    return Answer(status, kept, body, before, after)


def fetch_json(url: str) -> Any:
    answer = fetch(url)
    assert answer.status == 200, f"{url}: {answer.status} {answer.body[:300]!r}"
    return json.loads(answer.body)


_ATOM_UPDATED = re.compile(rb"<updated>([^<]*)</updated>")


def comparable(path: str, answer: Answer) -> Any:
    """What of an answer must be the same on every host (see the module's docstring)."""
    content_type = answer.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        data = json.loads(answer.body)
        if path == "/healthz":
            indexed_at = dt.datetime.fromisoformat(data.pop("indexed_at"))
            assert indexed_at <= answer.after, f"{path}: indexed_at {indexed_at} is ahead"
        body: Any = data
    elif content_type.startswith("application/atom+xml"):

        def the_moment(match: re.Match[bytes]) -> bytes:
            stamp = match.group(1).decode()
            if stamp.endswith("T00:00:00Z"):  # a document's date: compared as it is
                return match.group(0)
            moment = dt.datetime.fromisoformat(stamp)
            assert moment <= answer.after, (
                f"{path}: <updated>{stamp}</updated> is neither a document's date nor a "
                f"moment before the request ({answer.after:%H:%M:%S})"
            )
            return b"<updated>(a file's last change)</updated>"

        body = _ATOM_UPDATED.sub(the_moment, answer.body)
    else:
        body = answer.body
    return (answer.status, answer.headers, body)


def first_difference(one: Any, other: Any) -> str:
    """Where two comparable answers part, readably."""
    if isinstance(one, bytes) and isinstance(other, bytes):
        at = next(
            (i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
            min(len(one), len(other)),
        )
        around = slice(max(0, at - 80), at + 80)
        return f"at byte {at}: {one[around]!r} vs {other[around]!r}"
    if isinstance(one, dict) and isinstance(other, dict):
        for key in sorted(set(one) | set(other), key=str):
            if one.get(key) != other.get(key):
                return f"[{key!r}] " + first_difference(one.get(key), other.get(key))
    if isinstance(one, list | tuple) and isinstance(other, list | tuple):
        for i, (a, b) in enumerate(zip(one, other, strict=False)):
            if a != b:
                return f"[{i}] " + first_difference(a, b)
        return f"lengths {len(one)} vs {len(other)}"
    return f"{one!r:.300} vs {other!r:.300}"


# --------------------------------------------------------------------------- the pool


@dataclass
class Host:
    """One host of the pool: its copy of the content and its server's URL."""

    content: Path
    url: str


@dataclass
class Pool:
    """Hosts that should answer alike; whether the change has reached them."""

    hosts: list[Host]
    changed: bool = False

    def answers(self, path: str, headers: dict[str, str]) -> list[Answer]:
        return [fetch(host.url + path, headers) for host in self.hosts]

    def differences(self, requests: list[tuple[str, dict[str, str]]]) -> list[str]:
        """Every request whose answers are not the same on all hosts, and where they part."""
        found = []
        for path, headers in requests:
            first, *others = self.answers(path, headers)
            expected = comparable(path, first)
            for n, answer in enumerate(others, 2):
                actual = comparable(path, answer)
                if actual != expected:
                    where = first_difference(expected, actual)
                    found.append(f"{path} {headers or ''}: host 1 and host {n} differ {where}")
        return found


def start_host(stack: ExitStack, root: Path) -> Host:
    """A copy of the sample content under root, and a watching server with its own index."""
    content = root / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    url = stack.enter_context(docrepo_server(content, root / "index", watch=True, **SETTINGS))
    return Host(content, url)


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    """Two hosts, each over its own copy of the sample content (processes ended at the end,
    whatever happens)."""
    with ExitStack() as stack:
        hosts = [start_host(stack, tmp_path_factory.mktemp(f"host{n}")) for n in (1, 2)]
        yield Pool(hosts)


def wait_for(what: str, predicate: Callable[[], bool], timeout: float = CHANGE_DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.1)


# --------------------------------------------------------------------------- a change

NEW_PATH = "decisions/2026/dec261234daj.md"
NEW_ID = "decisions/2026/dec261234daj"
NEW_DOCUMENT = """\
---
title: Délégation de signature au délégué régional Occitanie Est (2026)
type: decision
reference: DEC261234DAJ
date: 2026-05-04
issuer: DAJ
regions: [DR13]
themes: [signature-delegation, legal, telework]
supersedes: [DEC240187DAJ]
aliases: [decisions/2026/delegation-dr13]
summary: Nouvelle délégation de signature pour la circonscription Occitanie Est.
---

Délégation est donnée au délégué régional de la circonscription
[Occitanie Est](../../regions/dr13.md) pour les ordres de mission, les autorisations de
télétravail et les conventions de recherche.
"""

#: what the change should make every host answer, besides REQUESTS
AFTER_CHANGE: list[tuple[str, dict[str, str]]] = [
    (search("DEC261234DAJ"), {}),
    (search("délégation signature occitanie", per_page="50"), {}),
    (search("télétravail", theme="telework", sort="newest"), {}),
    (search(year="2026"), EN),
    (f"/api/doc/{NEW_ID}", {}),
    (f"/doc/{NEW_ID}", {}),
    ("/doc/decisions/2026/delegation-dr13", {}),
    ("/api/doc/decisions/2024/dec240187daj", {}),
    ("/feed.atom?region=DR13", {}),
]


def apply_change(pool: Pool) -> None:
    """The same commit reaching every host's clone (as a `git pull` writes it: the file
    appears whole), once; then wait until every host serves it."""
    if pool.changed:
        return
    for host in pool.hosts:
        target = host.content / NEW_PATH
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(NEW_DOCUMENT, encoding="utf-8")
        os.replace(temporary, target)
    for n, host in enumerate(pool.hosts, 1):

        def serves_it(url: str = host.url) -> bool:
            found: bool = fetch_json(url + search("DEC261234DAJ"))["total"] == 1
            repealed: bool = (
                fetch_json(url + "/api/doc/decisions/2024/dec240187daj")["status"] == "repealed"
            )
            return found and repealed

        wait_for(f"host {n} serves the new decision and the one it repeals", serves_it)
    pool.changed = True


# --------------------------------------------------------------------------- tests


def test_the_requests_exercise_what_they_claim(pool: Pool) -> None:
    """A check of the test itself: the typo gets its suggestion, the alias its redirect, the
    signed-in viewer more than the anonymous one, bad input a 400, a missing page a 404."""
    url = pool.hosts[0].url
    assert fetch_json(url + search("teletravial"))["suggestion"] == "télétravail"
    assert fetch_json(url + search('"délégation de signature"'))["total"] > 0
    assert fetch_json(url + "/healthz")["documents"] > 150
    anonymous = fetch(url + "/api/doc/pages/espace-directeurs-unite")
    assert anonymous.status == 404
    assert fetch(url + "/api/doc/pages/espace-directeurs-unite", DIRECTOR).status == 200
    assert fetch(url + search(page="0")).status == 400
    assert fetch(url + "/doc/nothing/here").status == 404
    feed = fetch(url + "/feed.atom?type=unit&institute=INSB").body
    assert b"<updated>" in feed and b"https://docs.example.org/doc/units/" in feed


def test_hosts_over_copies_of_the_content_answer_identically(pool: Pool) -> None:
    differences = pool.differences(REQUESTS)
    assert differences == [], "\n".join(differences)


def test_after_the_same_change_reaches_both_copies_they_answer_identically(pool: Pool) -> None:
    apply_change(pool)
    redirect = fetch(pool.hosts[0].url + "/doc/decisions/2026/delegation-dr13")
    assert (redirect.status, redirect.headers.get("location")) == (301, f"/doc/{NEW_ID}")
    differences = pool.differences(REQUESTS + AFTER_CHANGE)
    assert differences == [], "\n".join(differences)


# --------------------------------------------------------------------------- a late host


@pytest.fixture(scope="module")
def late_pool(pool: Pool, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    """Host 1, which followed the change, and a host added to the pool after it: a fresh
    clone of the content as it now is, indexed from nothing."""
    apply_change(pool)
    with ExitStack() as stack:
        root = tmp_path_factory.mktemp("late-host")
        content = root / "content"
        shutil.copytree(pool.hosts[0].content, content)
        url = stack.enter_context(docrepo_server(content, root / "index", watch=True, **SETTINGS))
        yield Pool([pool.hosts[0], Host(content, url)])


def test_a_host_that_joins_later_answers_like_the_others(late_pool: Pool) -> None:
    """A host indexed from nothing after the change answers, scores and ranks as one that
    followed it commit by commit: BM25F statistics are taken over live documents only, and
    ties are ordered by document id, not by the order files happened to be indexed in."""
    differences = late_pool.differences(REQUESTS + AFTER_CHANGE)
    assert differences == [], "\n".join(differences)


# --------------------------------------------------------------------------- health


def watcher_record(index: Path) -> dict[str, Any]:
    """The watcher's record beside the index, once it has written one."""
    wait_for("the watcher says it runs", (index / ".watcher").exists)
    record: dict[str, Any] = json.loads((index / ".watcher").read_text(encoding="utf-8"))
    return record


def kill_9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    wait_for(f"process {pid} is gone", lambda: not Path(f"/proc/{pid}").exists() or
             Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z")  # fmt: skip


def health(url: str) -> tuple[int, dict[str, Any]]:
    answer = fetch(url + "/healthz")
    return answer.status, json.loads(answer.body)


def test_readers_stay_in_service_when_the_writer_dies(make_tree: MakeTree, tmp_path: Path) -> None:
    """The documented deployments on one host (docs/operations.md, Several web workers and
    Scaling out): `docrepo watch` with `uvicorn --factory` readers, and a watching
    `docrepo serve` with a `docrepo serve --no-watch` reader. Every server is healthy and
    names the watcher running; once the writer is killed with kill -9, each reader still
    answers 200 (it serves its index) and says in the body that the watcher stopped; a
    watching `docrepo serve --workers 2` killed the same way leaves no healthy worker."""
    content = make_tree({"a.md": doc("Alpha", "Le mot zqvoilier.")})
    index = tmp_path / "index"
    subprocess.run([sys.executable, "-m", "docrepo", "index", "--content", str(content),
                    "--index", str(index)], check=True, capture_output=True)  # fmt: skip
    # docrepo watch & uvicorn --factory docrepo.app:from_environment --workers 2
    environ = {"content": str(content), "index": str(index)}
    watch = subprocess.Popen([sys.executable, "-m", "docrepo", "watch"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=settings_environment(**environ))  # fmt: skip
    try:
        port = free_port()
        uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "docrepo.app:from_environment",
                   "--workers", "2", "--no-proxy-headers", "--port", str(port)]  # fmt: skip
        with serving(uvicorn, port, **environ) as url:
            assert watcher_record(index)["pid"] == watch.pid
            status, body = health(url)
            assert (status, body["status"], body["watcher"]) == (200, "ok", "running")
            kill_9(watch.pid)
            for _ in range(4):  # whichever worker answers
                status, body = health(url)
                assert (status, body["status"], body["watcher"]) == (200, "ok", "stopped"), body
                assert body["watcher_reason"] == f"the process {watch.pid} that ran it is gone"
                assert body["documents"] == 1
    finally:
        watch.kill()
        watch.wait(timeout=10)
    # docrepo serve (the writer) & docrepo serve --no-watch (a reader)
    (index / ".watcher").unlink()
    writing, reading = docrepo_server(content, index, watch=True), docrepo_server(content, index)
    with writing as writer, reading as reader:
        pid = watcher_record(index)["pid"]
        wait_for("the writer's watcher runs", lambda: health(writer)[1].get("watcher") == "running")
        for url in (writer, reader):
            status, body = health(url)
            assert (status, body["status"], body["watcher"]) == (200, "ok", "running")
        kill_9(pid)
        status, body = health(reader)
        assert (status, body["status"], body["watcher"]) == (200, "ok", "stopped"), body
        assert fetch_json(reader + search("zqvoilier"))["total"] == 1
    # docrepo serve --workers 2: the watcher runs in the parent, the workers serve
    (index / ".watcher").unlink()
    port = free_port()
    command = [sys.executable, "-m", "docrepo", "serve", "--workers", "2", "--port", str(port)]
    with serving(command, port, **environ) as url:
        pid = watcher_record(index)["pid"]
        wait_for("its watcher runs", lambda: health(url)[1].get("watcher") == "running")
        workers = descendants(pid)
        try:
            kill_9(pid)
            for _ in range(4):
                try:
                    status, body = health(url)
                except OSError:  # the workers went with it: nothing answers
                    break
                assert (status, body["watcher"]) == (503, "stopped"), body
        finally:  # the orphaned workers (and multiprocessing's tracker) are ours to end
            for worker in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """The processes a process started, and theirs (Linux's /proc)."""
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in map(int, children.read_text().split()):
            found += [child, *descendants(child)]
    return found
