"""News from the web: pages through trafilatura (the article without the page around it, and
the page's own metadata), fetched by URL with httpx under limits, and RSS/Atom feeds read with
feedparser.

The stored text is what trafilatura returns, its paragraphs separated by blank lines as in
every other article; offsets index into it. A fetch refuses loopback, private and link-local
addresses unless ``CLAIMCHECK_FETCH_PRIVATE`` allows them: a server that fetches URLs for
anyone must not become a way into the machines behind it.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from importlib.metadata import version
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import InputError
from .models import MAX_SOURCE_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS, ArticleInput
from .settings import Settings

USER_AGENT = f"claimcheck/{version('claimcheck')} (news claim checker)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json",
)  # fmt: skip
MAX_REDIRECTS = 5
TOTAL_TIMEOUTS = 3  # a whole fetch, redirects included, may take three fetch timeouts
MIN_WORDS = 40  # fewer words of main content is a menu, an index page or a paywall stub
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def is_url(value: object) -> bool:
    """Whether a string is an http(s) URL (a thing to fetch, not a file or a text)."""
    return isinstance(value, str) and re.match(r"https?://\S+$", value.strip(), re.I) is not None


# -- pages ----------------------------------------------------------------------------------


def decode_html(data: bytes, origin: str, charset: str | None = None) -> str:
    """A page's text: in the charset its server or its ``<meta charset>`` declares, else UTF-8."""
    declared = [c for c in (charset, _meta_charset(data)) if c]
    for name in [*declared, "utf-8-sig"]:
        try:
            codecs.lookup(name)
            return data.decode(name)
        except LookupError:
            continue  # an unknown charset name: try the next one
        except UnicodeDecodeError:
            if name == "utf-8-sig":
                break
    said = f" (it declares {declared[0]!r})" if declared else ""
    raise InputError(f"cannot decode the page: not UTF-8 and no charset that fits{said}", origin)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None


def page_article(
    html: str, origin: str, url: str | None = None, *, plain: bool = False
) -> ArticleInput:
    """The article of a web page: its main text without navigation, teasers, comments, share
    bars or banners, with the title, author, date, site name and canonical URL the page gives
    (JSON-LD, OpenGraph, ``<meta>``, ``<time>``). A page with no main content is refused."""
    import trafilatura  # imported here: it loads lxml and its date parser, ~0.3 s

    if plain:  # a text/plain response is the article already
        return ArticleInput(text=html, url=url, origin=origin)
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=True, with_metadata=True
    )
    text = _paragraphs(getattr(doc, "text", None) or "")
    if len(text.split()) < MIN_WORDS:
        found = f"only {len(text.split())} words" if text.strip() else "nothing"
        raise InputError(
            f"no article on the page: its main content is {found} (an index page, a menu or a "
            "paywall stub?)",
            origin,
        )
    published = _date(getattr(doc, "date", None))
    page_url = getattr(doc, "url", None) or url
    return ArticleInput(
        text=text,
        title=_short(getattr(doc, "title", None), MAX_TITLE_CHARS),
        author=_short(getattr(doc, "author", None), MAX_SOURCE_CHARS),
        site=_short(getattr(doc, "sitename", None), MAX_SOURCE_CHARS),
        url=page_url if page_url and len(page_url) <= MAX_URL_CHARS else url,
        published=published,
        origin=origin,
    )


def _paragraphs(text: str) -> str:
    """trafilatura's text with its one-line paragraphs separated by blank lines."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line) + ("\n" if any(lines) else "")


def _short(value: str | None, limit: int) -> str | None:
    value = " ".join(value.split()) if value else None
    return value[: limit - 1] + "…" if value and len(value) > limit else value


def _date(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


# -- fetching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """What a fetch brought back: the final URL after redirects, the media type and the body."""

    url: str
    media_type: str
    charset: str | None
    data: bytes


def check_address(url: str, allow_private: bool) -> None:
    """Refuse a URL that is not http(s), or whose host is (or resolves to) a loopback, private,
    link-local or otherwise non-public address, unless ``allow_private``."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError("not an http:// or https:// URL", url)
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise InputError(f"not a valid URL: {exc}", url) from exc
    if allow_private:
        return
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise InputError(f"DNS lookup failed for {host}: {exc.strerror or exc}", url) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise InputError(
                f"refused: {host} is a {_kind(address)} address ({address}); set "
                "CLAIMCHECK_FETCH_PRIVATE=true to allow it",
                url,
            )


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    return "non-public"


def fetch(url: str, settings: Settings, accept: tuple[str, ...] = PAGE_TYPES) -> Fetched:
    """GET a URL within the limits: timeouts, ``max_fetch_bytes``, at most five redirects (each
    hop checked like the first), a User-Agent naming claimcheck, and only ``accept``'s media
    types. Every failure is an :class:`InputError` naming the URL and the reason."""
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join((*accept, "*/*;q=0.1"))}
    timeout = httpx.Timeout(settings.fetch_timeout)
    seen: list[str] = []
    deadline = time.monotonic() + TOTAL_TIMEOUTS * settings.fetch_timeout
    with httpx.Client(headers=headers, timeout=timeout, follow_redirects=False) as client:
        current = url
        while True:
            check_address(current, settings.fetch_private)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        target = urljoin(current, response.headers.get("location", ""))
                        seen.append(current)
                        if target in seen:
                            raise InputError(f"redirect loop (back to {target})", url)
                        if len(seen) > MAX_REDIRECTS:
                            raise InputError(f"more than {MAX_REDIRECTS} redirects", url)
                        current = target
                        continue
                    return _body(response, current, url, settings, accept, deadline)
            except httpx.TimeoutException as exc:
                raise InputError(f"timed out after {settings.fetch_timeout:g} s", url) from exc
            except httpx.ConnectError as exc:
                raise InputError(f"cannot connect: {_reason(exc)}", url) from exc
            except httpx.HTTPError as exc:
                raise InputError(f"fetch failed: {_reason(exc)}", url) from exc


def _body(
    response: httpx.Response,
    current: str,
    url: str,
    settings: Settings,
    accept: tuple[str, ...],
    deadline: float,
) -> Fetched:
    limit = settings.max_fetch_bytes
    if response.status_code >= 400:
        phrase = response.reason_phrase or ""
        raise InputError(f"the server answered {response.status_code} {phrase}".rstrip(), url)
    message = Message()
    message["content-type"] = response.headers.get("content-type", "")
    media_type = message.get_content_type().lower() if message["content-type"] else ""
    charset = message.get_param("charset")
    if media_type not in accept:
        wanted = ", ".join(accept)
        raise InputError(f"not a page claimcheck reads: {media_type or 'no type'} ({wanted})", url)
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(f"too large: {int(declared):,} bytes, the limit is {limit:,}", url)
    data = bytearray()
    for piece in response.iter_bytes():
        data += piece
        if len(data) > limit:
            raise InputError(f"too large: more than {limit:,} bytes", url)
        if time.monotonic() > deadline:  # a server dripping bytes slower than it may
            total = TOTAL_TIMEOUTS * settings.fetch_timeout
            raise InputError(f"timed out: the whole fetch took over {total:g} s", url)
    return Fetched(
        url=current,
        media_type=media_type,
        charset=charset if isinstance(charset, str) else None,
        data=bytes(data),
    )


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "DNS lookup failed"
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    return text


def read_page(url: str, settings: Settings) -> ArticleInput:
    """Fetch a page and return its article (``url`` is the page's canonical URL if it gives
    one, else the URL fetched)."""
    got = fetch(url, settings)
    text = decode_html(got.data, url, got.charset)
    return page_article(text, url, got.url, plain=got.media_type == "text/plain")


# -- feeds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: the page it links to, with its title and date."""

    link: str
    title: str | None
    published: datetime | None


def feed_items(data: bytes, origin: str) -> list[FeedItem]:
    """The items of an RSS or Atom feed, newest as the feed orders them; an item without a
    link is skipped. A document that is no feed is an :class:`InputError`."""
    import feedparser

    parsed: Any = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise InputError(f"not an RSS or Atom feed{f' ({why})' if why else ''}", origin)
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*stamp[:6]).replace(tzinfo=UTC) if stamp else None
        title = _short(entry.get("title"), MAX_TITLE_CHARS)
        items.append(FeedItem(link=urljoin(origin, link), title=title, published=published))
    return items


def read_feed(url: str, settings: Settings) -> list[FeedItem]:
    """Fetch a feed and return its items."""
    got = fetch(url, settings, accept=(*FEED_TYPES, "text/html", "text/plain"))
    return feed_items(got.data, got.url)
