"""A tiny news site on 127.0.0.1 whose every URL is known, so a crawl can be checked hit by hit.

Independent of the bundled demo site on purpose: each page here exists to exercise one rule of the
spider (depth, robots, scope, redirects, sitemap index + gzip, news sitemap, feed, assets, 404).
"""

from __future__ import annotations

import collections
import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def article(title: str, links=(), kind: str = "jsonld") -> str:
    head = {
        "jsonld": '<script type="application/ld+json">{"@context":"https://schema.org",'
                  f'"@type":"NewsArticle","headline":"{title}"}}</script>',
        "og": '<meta property="og:type" content="article">',
        "plain": "",
    }[kind]
    paras = "".join(f"<p>{title}: paragraph {i} of a story long enough to read as real reporting text, "
                    "with quotes, context and detail that a listing teaser would never carry.</p>"
                    for i in range(5))
    nav = "".join(f'<a href="{href}">{href}</a> ' for href in links)
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>"
            f"<header><a href=\"/\">Home</a></header><article><h1>{title}</h1>{paras}</article>"
            f"<aside>{nav}</aside></body></html>")


def listing(title: str, links) -> str:
    items = "".join(f'<li><a href="{href}">Story {i}</a></li>' for i, href in enumerate(links))
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><ul>{items}</ul></body></html>"


A1 = "/world/2026/11/24/storm-hits-coast-town"
A2 = "/world/2026/11/23/election-results-announced-today"
A3 = "/tech/2026/11/22/new-chip-unveiled.html"
A4 = "/tech/2026/11/21/robots-learn-to-cook"
A5 = "/business/2026/11/20/markets-rally-after-report"
A6 = "/world/2026/11/19/deep-archive-story-found"
A7 = "/tech/2026/11/18/quantum-leap-in-computing"
ARTICLES = [A1, A2, A3, A4, A5, A6, A7]


def build_site() -> dict[str, tuple[int, dict, bytes]]:
    """path -> (status, headers, body).  ``{base}`` in bodies is replaced by the server's URL."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    xml = {"Content-Type": "application/xml"}
    pages: dict[str, tuple[int, dict, bytes]] = {}

    def add(path, body, headers=html, status=200):
        pages[path] = (status, headers, body.encode() if isinstance(body, str) else body)

    add("/robots.txt", "User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap_index.xml\n",
        {"Content-Type": "text/plain"})
    home_links = ["/world/", "/tech/", A1, "/private/secret", "/about", "http://elsewhere.example/x",
                  "mailto:desk@example.org", "javascript:void(0)", "/#top", "/world/#latest",
                  "/files/report.pdf", "/media/clip.mp4", "/missing-page", "http://[broken-ipv6/x", " "]
    add("/", listing("Home", home_links).replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'))
    add("/world/", listing("World", [A1, A2, "/world/page/2"]))
    add("/world/page/2", listing("World, page 2", [A6]))
    add("/tech/", listing("Tech", [A3, "/old/a4"]))
    add("/about", "<html><body><h1>About us</h1><p>We are a small newsroom.</p></body></html>")
    add(A1, article("Storm hits coast town", [A2, "/"]).replace(
        "<h1>", '<img src="/img/storm.jpg"><img src="http://elsewhere.example/pixel.gif">'
                '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><h1>'))
    add("/img/storm.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", {"Content-Type": "image/jpeg"})
    add(A2, article("Election results announced", [A1], kind="og"))
    add(A3, article("New chip unveiled", ["/tech/"], kind="plain"))
    add(A4, article("Robots learn to cook", []))
    add(A5, article("Markets rally after report", []))
    add(A6, article("Deep archive story", []))
    add(A7, article("Quantum leap in computing", []))
    add("/old/a4", "", {"Location": A4}, status=301)
    add("/private/secret", article("Secret", []))
    add("/files/report.pdf", b"%PDF-1.4\n% not really a pdf\n", {"Content-Type": "application/pdf"})
    add("/media/clip.mp4", b"\x00\x00\x00\x18ftypmp42", {"Content-Type": "video/mp4"})
    add("/missing-page", "<html><body>gone</body></html>", status=404)
    add("/sitemap_index.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{base}/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>{base}/sitemap-pages.xml.gz</loc></sitemap>
  <sitemap><loc>http://elsewhere.example/sitemap.xml</loc></sitemap>
</sitemapindex>""", xml)
    add("/sitemap-news.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{{base}}{A5}</loc><lastmod>2026-11-20T10:00:00Z</lastmod>
    <news:news><news:publication><news:name>Fixture Times</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-20T09:30:00+01:00</news:publication_date>
      <news:title>Markets rally after report</news:title><news:keywords>markets, stocks</news:keywords></news:news></url>
</urlset>""", xml)
    gz = gzip.compress(f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{{base}}{A2}</loc><lastmod>2026-11-23</lastmod></url>
  <url><loc>{{base}}/about</loc></url>
</urlset>""".encode(), mtime=0)
    add("/sitemap-pages.xml.gz", gz, {"Content-Type": "application/x-gzip"})
    add("/feed.xml", f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Fixture Times</title>
  <item><title>Quantum leap in computing</title><link>{{base}}{A7}</link>
    <pubDate>Wed, 18 Nov 2026 08:00:00 GMT</pubDate></item>
  <item><title>New chip unveiled</title><link>{{base}}{A3}</link></item>
  <item><title>Storm hits coast town</title><link>{{base}}{A1}?utm_source=rss&amp;utm_medium=feed</link></item>
</channel></rss>""", {"Content-Type": "application/rss+xml"})
    add("/sitemap.txt", f"{{base}}{A6}\n\n", {"Content-Type": "text/plain"})
    return pages


class SiteServer:
    """Threaded HTTP server on 127.0.0.1:0 serving a ``build_site()`` dict and counting hits."""

    def __init__(self, pages: dict | None = None):
        self.pages = pages if pages is not None else build_site()
        self.hits: collections.Counter[str] = collections.Counter()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> "SiteServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's naming
                server.hits[self.path] += 1
                status, headers, body = server.pages.get(self.path, (404, {}, b"not found"))
                body = body.replace(b"{base}", server.url.encode()) if not body.startswith(b"\x1f\x8b") \
                    else gzip.compress(gzip.decompress(body).replace(b"{base}", server.url.encode()), mtime=0)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", server.url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hangs up early (max size, max pages) is not news here

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
