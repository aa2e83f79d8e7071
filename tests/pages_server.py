"""A small HTTP server on 127.0.0.1 serving the test pages (tests/pages) and feeds that point
at them, with the failures a fetch must name: a redirect, a loop, a 404, an image, a page too
large, a slow page. Started and stopped by the ``site`` fixture."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title><link>{base}/</link>
<description>News</description>
<item><title>Ferry fares to rise</title><link>{base}/news.html</link>
<pubDate>Thu, 09 Apr 2026 05:30:00 GMT</pubDate></item>
<item><title>Library reopens (feed title)</title><link>{base}/opengraph.html</link>
<pubDate>Sat, 02 May 2026 09:00:00 GMT</pubDate></item>
<item><title>Latest news</title><link>{base}/index.html</link></item>
<item><title>Terrace fees</title><link>{base}/latin.html</link>
<pubDate>Mon, 11 May 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Courier</title>
<id>urn:valley</id><updated>2026-05-02T09:00:00Z</updated>
<entry><title>Library reopens</title><id>urn:1</id><link href="{base}/opengraph.html"/>
<updated>2026-05-02T09:00:00Z</updated></entry>
<entry><title>Terrace fees</title><id>urn:2</id><link href="{base}/latin.html"/>
<updated>2026-05-11T08:00:00Z</updated></entry>
</feed>"""


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        port = self.server.server_address[1]  # type: ignore[index]
        base = f"http://127.0.0.1:{port}"
        name = self.path.lstrip("/")
        if name in ("news.html", "opengraph.html", "latin.html", "index.html"):
            self._send(200, "text/html", (PAGES / name).read_bytes())
        elif name == "rss.xml":
            self._send(200, "application/rss+xml", RSS.format(base=base).encode())
        elif name == "atom.xml":
            self._send(200, "application/atom+xml", ATOM.format(base=base).encode())
        elif name == "moved":
            self._send(302, "text/html", b"", {"Location": "/news.html"})
        elif name in ("loop-a", "loop-b"):
            other = "loop-b" if name == "loop-a" else "loop-a"
            self._send(302, "text/html", b"", {"Location": f"/{other}"})
        elif name == "big.html":
            self._send(200, "text/html", b"<p>" + b"word " * 20_000 + b"</p>")
        elif name == "image.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n")
        elif name == "slow.html":
            time.sleep(2)
            self._send(200, "text/html", (PAGES / "news.html").read_bytes())
        elif name == "drip.html":  # a byte every 0.2 s: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<p>x</p>")
                self.wfile.flush()
                time.sleep(0.2)
        elif name == "plain.txt":
            text = "The mayor said on Monday that the harbour tunnel would open in 2033. " * 6
            self._send(200, "text/plain; charset=utf-8", text.encode())
        else:
            self._send(404, "text/html", b"<p>Not here</p>")

    def _send(self, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (too large, too slow) breaks the pipe: that is the test


@pytest.fixture
def site() -> Iterator[str]:
    """A server on 127.0.0.1 serving the pages and feeds above; stopped after the test."""
    server = _QuietServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
