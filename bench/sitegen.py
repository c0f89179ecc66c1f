"""A generated news site for the throughput benchmark, and the server that serves it.

The pages imitate what makes real news pages expensive to archive and extract: 50 KB+ of chrome,
ads, JSON-LD and a 20-80 KB inline ``__PRELOADED_STATE__`` around a few paragraphs of prose, sent
with the four transfer modes a crawler meets (id % 4: gzip with a Content-Length, chunked identity,
identity with a Content-Length, gzip and chunked).

Everything is rendered, compressed and framed once at start-up, and served from a dict of ready
byte strings by an ``asyncio.Protocol`` (no streams, no per-request work beyond a lookup): the
benchmark has to measure the crawler, not the server.  ``serve()`` runs in its own process so the
two never share a GIL; the first stdout line is the base URL.

    .venv/bin/python bench/sitegen.py --pages 2000 [--port 0] [--seed 8]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import signal
import sys
from email.utils import formatdate

SECTIONS = ("world", "politics", "business", "science", "sport", "culture", "opinion", "climate")
PER_LISTING = 50
MIN_PAGE_BYTES = 50 * 1024
CHUNK = 8192

WORDS = (
    "council budget river harbour election minister report village school hospital court "
    "weather storm bridge railway museum festival market farmers police investigation union "
    "strike energy prices housing plan residents mayor vote committee research university "
    "study scientists climate drought flood season players coach league final victory defeat "
    "season artist exhibition novel theatre audience director company shares profit losses "
    "quarter growth inflation bank interest rates government opposition spokesperson "
    "statement documents evidence witness testimony agreement talks border trade exports "
    "officials announced said according confirmed warned expected earlier later during "
    "after before since while because although however meanwhile despite several many few "
    "local national regional international new old major small large early late public"
).split()
NAMES = ("Ada Okafor", "Bruno Lindqvist", "Chen Wei", "Dana Morales", "Eamon Byrne", "Farah Haddad",
         "Greta Novak", "Hiro Tanaka", "Ines Duarte", "Jonah Weiss", "Kofi Mensah", "Lena Sorensen")
AGENCIES = ("Reuters", "AP Photo", "Getty Images", "AFP", "Staff photographer", "EPA")


def _sentence(rng: random.Random, lo: int = 8, hi: int = 24) -> str:
    words = rng.choices(WORDS, k=rng.randint(lo, hi))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def article_path(i: int) -> str:
    return f"/{SECTIONS[i % len(SECTIONS)]}/2026/11/story-{i:06d}.html"


def _state_json(rng: random.Random, i: int, target: int) -> str:
    """The inline app state modern news sites ship: JSON the extractor must skip (~*target* bytes)."""
    items, size = [], 0
    n = 0
    while size < target:
        item = {"id": f"{i}-{n}", "type": rng.choice(("teaser", "ad", "promo", "video")),
                "title": _sentence(rng, 5, 10), "url": article_path(rng.randrange(100000)),
                "score": round(rng.random(), 4), "tags": rng.choices(WORDS, k=5)}
        items.append(item)
        size += len(item["title"]) + 4 * len(item["tags"]) + 135
        n += 1
    state = {"page": {"id": i, "section": SECTIONS[i % len(SECTIONS)]}, "feed": items,
             "user": {"loggedIn": False, "consent": None}, "flags": {"ie11": False, "paywall": "metered"}}
    return json.dumps(state, separators=(",", ":")).replace("</", "<\\/")


def render_article(i: int, seed: int, total: int) -> str:
    rng = random.Random(seed * 1_000_003 + i)
    section = SECTIONS[i % len(SECTIONS)]
    headline = _sentence(rng, 6, 12).rstrip(".")
    author = rng.choice(NAMES)
    day = 1 + i % 28
    published = f"2026-11-{day:02d}T{6 + i % 14:02d}:{i % 60:02d}:00Z"
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(6, 14))]
    state_size = rng.randint(20_000, 80_000)
    figures = []
    for n in range(2):
        caption = _sentence(rng, 8, 16)
        credit = f"{rng.choice(NAMES)}/{rng.choice(AGENCIES)}"
        figures.append(
            f'<figure class="media"><img src="https://img.cdn.example.net/{i}/{n}.jpg" '
            f'alt="{caption[:40]}" width="1200" height="675">'
            f'<figcaption>{caption} <span class="credit">Photo: {credit}</span></figcaption></figure>')
    body_parts = []
    for k, para in enumerate(paragraphs):
        body_parts.append(f"<p>{para}</p>")
        if k == 1:
            body_parts.append(figures[0])
            body_parts.append('<div class="ad-slot" id="ad-inline-1"><script>window.ads&&ads.push('
                              '{slot:"inline-1",sizes:[[300,250],[728,90]]});</script></div>')
        if k == 4:
            body_parts.append(figures[1])
    related = "".join(
        f'<li><a href="{article_path(rng.randrange(total))}">{_sentence(rng, 5, 9)}</a></li>'
        for _ in range(8))
    sidebar = "".join(f'<li><a href="{article_path(rng.randrange(total))}">{_sentence(rng, 4, 8)}</a></li>'
                      for _ in range(10))
    nav = "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in SECTIONS)
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
        "datePublished": published, "dateModified": published,
        "author": [{"@type": "Person", "name": author}],
        "publisher": {"@type": "Organization", "name": "The Bench Courier"},
        "image": [f"https://img.cdn.example.net/{i}/0.jpg"], "articleSection": section,
        "mainEntityOfPage": article_path(i)})
    ads = [
        f'<div class="ad-slot" id="ad-{n}"><span>Advertisement</span><script async '
        f'src="https://ads.example-adnet.com/tag.js?slot={n}&amp;p={i}"></script>'
        f'<script>(function(w){{w.googletag=w.googletag||{{cmd:[]}};w.googletag.cmd.push('
        f'function(){{w.googletag.display("ad-{n}")}})}})(window);</script></div>'
        for n in ("top", "side", "bottom")]
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | The Bench Courier</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{headline}"><meta name="author" content="{author}">
<link rel="canonical" href="{article_path(i)}">
<link rel="stylesheet" href="https://static.cdn.example.net/site.css">
<script type="application/ld+json">{ld}</script>
</head><body class="article-page section-{section}">
<div id="cookie-banner" class="banner">We use cookies to improve your experience and to show
personalised advertising. <button>Accept all</button> <button>Manage choices</button></div>
<div class="ie-banner">Internet Explorer 11 is not supported. For the best experience please use
a modern browser.</div>
<header class="site-header"><a class="logo" href="/">The Bench Courier</a>
<nav><ul>{nav}</ul></nav><form action="/search"><input name="q"></form></header>
{ads[0]}
<main><article class="story">
<h1 class="headline">{headline}</h1>
<p class="byline">By <a rel="author" href="/authors/{author.lower().replace(' ', '-')}">{author}</a></p>
<time datetime="{published}">{day} November 2026</time>
<div class="story-body">
{''.join(body_parts)}
</div>
<div class="newsletter">Sign up for the morning briefing. <input type="email"></div>
<section class="related"><h2>Related</h2><ul>{related}</ul></section>
</article></main>
<aside class="sidebar"><h2>Most read</h2><ol>{sidebar}</ol>{ads[1]}</aside>
{ads[2]}
<footer class="site-footer"><p>&copy; 2026 The Bench Courier. All rights reserved.</p>
<ul><li><a href="/about">About</a></li><li><a href="/privacy">Privacy</a></li>
<li><a href="/terms">Terms</a></li></ul></footer>
<script>window.__PRELOADED_STATE__ = @STATE@;</script>
<script src="https://static.cdn.example.net/app.js" defer></script>
</body></html>
"""
    # 20-80 KB of state, and at least enough for the page to reach MIN_PAGE_BYTES
    state_size = max(state_size, MIN_PAGE_BYTES + 1500 - len(page))
    return page.replace("@STATE@", _state_json(rng, i, state_size))


def render_listing(section: str, page: int, ids: list[int]) -> str:
    items = "".join(f'<li><a href="{article_path(i)}">Story {i}</a></li>' for i in ids)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{section.title()} page {page}"
            f"</title></head><body><h1>{section.title()}</h1><ul>{items}</ul>"
            f"<a href='/{section}/?page={page + 1}'>Next</a></body></html>")


def render_sitemap(base: str, total: int) -> str:
    urls = "".join(f"<url><loc>{base}{article_path(i)}</loc><lastmod>2026-11-{1 + i % 28:02d}</lastmod></url>"
                   for i in range(total))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n')


def _frame(status: str, ctype: str, body: bytes, mode: str, extra: tuple = ()) -> bytes:
    """A complete HTTP/1.1 response; *mode* is 'cl', 'chunked', 'gzip-cl' or 'gzip-chunked'."""
    headers = [f"HTTP/1.1 {status}", f"Date: {formatdate(usegmt=True)}", "server: bench-site/1.0",
               f"content-type: {ctype}", "Connection: keep-alive", *extra]
    if mode.startswith("gzip"):
        body = gzip.compress(body, 6, mtime=0)
        headers += ["Content-Encoding: gzip", "Vary: Accept-Encoding"]
    if mode.endswith("chunked"):
        headers.append("Transfer-Encoding: chunked")
        parts = [b"%x\r\n%s\r\n" % (len(body[k:k + CHUNK]), body[k:k + CHUNK])
                 for k in range(0, len(body), CHUNK)]
        payload = b"".join(parts) + b"0\r\n\r\n"
    else:
        headers.append(f"Content-Length: {len(body)}")
        payload = body
    return ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + payload


ARTICLE_MODES = ("gzip-cl", "chunked", "cl", "gzip-chunked")


def build_site(base: str, pages: int, seed: int) -> tuple[dict[str, bytes], int]:
    """path -> ready response bytes, and the total size of the article HTML."""
    site: dict[str, bytes] = {}
    html_bytes = 0
    for i in range(pages):
        html = render_article(i, seed, pages).encode("utf-8")
        html_bytes += len(html)
        extra = (f"X-Article-ID: {i}", "Set-Cookie: sid=abc; Path=/", "Set-Cookie: ab=b; Path=/")
        site[article_path(i)] = _frame("200 OK", "text/html; charset=utf-8", html,
                                       ARTICLE_MODES[i % 4], extra)
    for s_idx, section in enumerate(SECTIONS):
        ids = list(range(s_idx, pages, len(SECTIONS)))
        for page in range(max(1, -(-len(ids) // PER_LISTING))):
            chunk = ids[page * PER_LISTING:(page + 1) * PER_LISTING]
            body = render_listing(section, page + 1, chunk).encode()
            path = f"/{section}/" + ("" if page == 0 else f"?page={page + 1}")
            site[path] = _frame("200 OK", "text/html; charset=utf-8", body, "chunked")
    site["/robots.txt"] = _frame("200 OK", "text/plain", (
        f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n").encode(), "cl")
    site["/sitemap.xml"] = _frame("200 OK", "application/xml", render_sitemap(base, pages).encode(), "gzip-cl")
    return site, html_bytes


NOT_FOUND = _frame("404 Not Found", "text/plain", b"not found\n", "cl")


class _Http(asyncio.Protocol):
    """Keep-alive HTTP/1.1: GET requests without bodies, answered in order from the dict."""

    site: dict[str, bytes] = {}

    def connection_made(self, transport):
        self.transport = transport
        self.buf = b""

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buf = self.buf[:end], self.buf[end + 4:]
            line = head.split(b"\r\n", 1)[0].split(b" ")
            target = line[1].decode("latin-1") if len(line) == 3 else ""
            self.transport.write(self.site.get(target, NOT_FOUND))


def serve(pages: int, seed: int = 8, host: str = "127.0.0.1", port: int = 0) -> None:
    """Build the site, print its base URL and stats as the first stdout lines, serve until SIGTERM."""
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    base = f"http://{host}:{sock.getsockname()[1]}"
    site, html_bytes = build_site(base, pages, seed)
    _Http.site = site
    loop = asyncio.new_event_loop()

    async def main():
        server = await loop.create_server(_Http, sock=sock, backlog=256)
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        print(base, flush=True)
        print(json.dumps({"pages": pages, "html_bytes": html_bytes,
                          "wire_bytes": sum(map(len, site.values()))}), flush=True)
        await stop.wait()
        server.close()

    loop.run_until_complete(main())
    loop.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    if args.pages < 1:
        sys.exit("error: --pages must be at least 1")
    serve(args.pages, args.seed, port=args.port)


if __name__ == "__main__":
    main()
