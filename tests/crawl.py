"""A same-site crawler over Django's test Client: every page a persona reaches by following links.

Used by tests/district/test_korean_crawl.py (no English on Korean pages), and meant for any
sweep that needs "every page of every persona" (the 390-px sweep can take `Crawl.urls`).

- Starts from a persona's start page and follows `<a href>` links (GET only: forms are not
  posted) that stay on this site.
- Leaves out what is not a page to read: the admin, the API and its docs, logging out,
  switching language, downloads (exports, files). `SKIP` lists them; pass your own.
- Visits at most `per_shape` URLs of one shape (the path with its numbers replaced and the
  query's keys without their values), so that a list of 200 students costs three visits.
- `visible_text(html)` is what a reader sees: no <script>, <style>, <code>, <template> or
  attribute values.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.test import Client

# Paths (prefixes or patterns) that are not pages to read.
SKIP = (
    re.compile(r"^/admin/"),
    re.compile(r"^/api/"),
    re.compile(r"^/i18n/"),
    re.compile(r"^/static/"),
    re.compile(r"/logout/"),
    re.compile(r"/(export|download)s?(/|\.|$)"),
    re.compile(r"\.(csv|xlsx|ics|pdf|json|zip)$"),
    re.compile(r"^/healthz|^/readyz"),
)
SKIP_QUERY_KEYS = frozenset({"format", "download", "export"})
# Elements whose text is not read as prose: code, scripts, styles.
_SILENT = frozenset({"script", "style", "code", "template", "noscript", "pre", "kbd", "samp"})
_VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed"})


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.silent = 0
        self.parts: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SILENT:
            self.silent += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag):
        if tag in _SILENT and self.silent:
            self.silent -= 1

    def handle_startendtag(self, tag, attrs):
        if tag == "a":
            self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if not self.silent:
            self.parts.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible_text(html: str) -> str:
    """The text a reader sees on the page, one space between pieces."""
    return " ".join(" ".join(read(html).parts).split())


def shape(url: str) -> tuple[str, frozenset[str]]:
    """The path with its numbers as "#", and the query's keys: URLs of one page type share a shape."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "#", parts.path), frozenset(k for k, _v in parse_qsl(parts.query))


def is_skipped(url: str, skip=SKIP) -> bool:
    parts = urlsplit(url)
    if any(pattern.search(parts.path) for pattern in skip):
        return True
    return bool(SKIP_QUERY_KEYS & {k for k, _v in parse_qsl(parts.query)})


@dataclass
class Visit:
    url: str
    status: int
    html: str
    found_on: str  # the page whose link led here ("" for the start page)

    @property
    def text(self) -> str:
        return visible_text(self.html)


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    # Links that answered neither a page nor a same-site redirect (an error or a refusal).
    broken: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [visit.url for visit in self.visits]


def local(href: str, base: str) -> str | None:
    """`href` as a same-site path with its query (no fragment), or None when it leaves the site."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, *starts: str, skip=SKIP, per_shape: int = 3, limit: int = 400) -> Crawl:
    """Every HTML page reached from `starts` by following links, breadth first (see the module)."""
    result = Crawl()
    queue = deque((start, "") for start in starts)
    seen: set[str] = set()
    shapes: dict[tuple, int] = {}
    while queue and len(result.visits) < limit:
        url, found_on = queue.popleft()
        if url in seen or is_skipped(url, skip):
            continue
        seen.add(url)
        key = shape(url)
        if shapes.get(key, 0) >= per_shape:
            continue
        shapes[key] = shapes.get(key, 0) + 1
        response = client.get(url)
        if response.status_code in {301, 302, 303, 307, 308}:
            target = local(response["Location"], url)
            if target is not None:
                queue.appendleft((target, url))
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            if response.status_code != 200:
                result.broken.append((url, response.status_code, found_on))
            continue
        html = response.content.decode()
        result.visits.append(Visit(url, response.status_code, html, found_on))
        for href in read(html).hrefs:
            target = local(href, url)
            if target is not None and target not in seen:
                queue.append((target, url))
    return result
