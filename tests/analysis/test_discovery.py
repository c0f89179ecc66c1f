"""Sitemap, news sitemap, feed and robots.txt parsing, including the broken inputs real sites serve."""

import gzip

from crawler.analysis.discovery import (maybe_gunzip, normalize_date, parse_feed, parse_sitemap, parse_text_sitemap,
                               robots_sitemaps, sniff)

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example.org/world/2026/11/24/storm</loc>
    <lastmod>2026-11-24T08:15:00Z</lastmod>
    <image:image><image:loc>https://news.example.org/storm.jpg</image:loc><image:title>Not the headline</image:title></image:image>
    <news:news>
      <news:publication><news:name>Example News</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-24T07:00:00+01:00</news:publication_date>
      <news:title>Storm &amp; floods hit the coast</news:title>
      <news:keywords>storm, weather</news:keywords>
    </news:news>
  </url>
  <url><loc>https://news.example.org/about</loc></url>
  <url><lastmod>2026-01-01</lastmod></url>
</urlset>"""


def test_news_sitemap_keeps_news_fields():
    sm = parse_sitemap(NEWS_SITEMAP)
    assert sm.kind == "urlset"
    assert [e.loc for e in sm.entries] == ["https://news.example.org/world/2026/11/24/storm",
                                          "https://news.example.org/about"]
    first = sm.entries[0]
    assert first.news_title == "Storm & floods hit the coast"
    assert first.news_publication_date == "2026-11-24T07:00:00+01:00"
    assert first.news_keywords == "storm, weather"
    assert first.news_name == "Example News"
    assert first.news_language == "en"
    assert first.lastmod == "2026-11-24T08:15:00+00:00"
    assert first.hints()["news_title"] == "Storm & floods hit the coast"
    assert sm.entries[1].hints() == {}


def test_sitemap_index_and_gzip():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://e.org/s1.xml.gz</loc><lastmod>2026-11-20</lastmod></sitemap>
      <sitemap><loc> https://e.org/s2.xml </loc></sitemap></sitemapindex>"""
    sm = parse_sitemap(gzip.compress(index))
    assert sm.kind == "sitemapindex"
    assert [(e.loc, e.lastmod) for e in sm.entries] == [("https://e.org/s1.xml.gz", "2026-11-20"),
                                                       ("https://e.org/s2.xml", None)]
    assert sniff(gzip.compress(index)) == "sitemap"


def test_sitemap_without_namespaces_and_undeclared_prefix():
    body = b"""<urlset><url><loc>https://e.org/a</loc><news:news><news:title>T</news:title>
      <news:publication_date>2026-11-24</news:publication_date></news:news></url></urlset>"""
    entry = parse_sitemap(body).entries[0]
    assert (entry.loc, entry.news_title, entry.news_publication_date) == ("https://e.org/a", "T", "2026-11-24")


def test_malformed_and_truncated_xml_keeps_what_parses():
    truncated = NEWS_SITEMAP[: NEWS_SITEMAP.index(b"<url><loc>https://news.example.org/about") + 60]
    sm = parse_sitemap(truncated)
    assert sm.entries[0].news_title == "Storm & floods hit the coast"
    # A truncated gzip stream yields what was decompressed.
    gz = gzip.compress(NEWS_SITEMAP)
    assert parse_sitemap(gz[: len(gz) - 40]).entries[0].loc.endswith("/storm")
    assert parse_sitemap(b"") is None
    assert parse_sitemap(b"\x00\x01 garbage") is None
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>") is None


def test_entities_are_not_expanded_nor_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<urlset><url><loc>https://e.org/&xxe;</loc><news:news><news:title>&b;</news:title></news:news></url></urlset>""".encode()
    sm = parse_sitemap(body)
    text = repr(sm)
    assert "TOPSECRET" not in text
    assert "aaaaaaaaaa" not in text


def test_maybe_gunzip_bounds_output():
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(maybe_gunzip(bomb, max_size=1000)) == 1000
    assert maybe_gunzip(b"plain") == b"plain"
    two_members = gzip.compress(b"<urlset>") + gzip.compress(b"</urlset>")
    assert maybe_gunzip(two_members) == b"<urlset></urlset>"


RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed</title>
<item><title>First story</title><link>https://e.org/first</link><pubDate>Tue, 24 Nov 2026 07:00:00 +0100</pubDate></item>
<item><title>Guid only</title><guid isPermaLink="true">https://e.org/guid-story</guid></item>
<item><title>Not a link</title><guid isPermaLink="false">tag:e.org,2026:1</guid></item>
<item><title>Dated by DC</title><link>https://e.org/dc</link><dc:date>2026-11-23T10:00:00Z</dc:date></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom feed</title>
<link rel="self" href="https://e.org/atom.xml"/>
<entry><title type="html">Atom &lt;b&gt;story&lt;/b&gt;</title>
  <link rel="self" href="https://e.org/api/1"/><link rel="alternate" type="text/html" href="https://e.org/atom-story"/>
  <published>2026-11-24T06:00:00Z</published><updated>2026-11-24T09:00:00Z</updated></entry>
<entry><title>Relless</title><link href="https://e.org/relless"/><updated>2026-11-22T01:02:03+02:00</updated></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://e.org/"><title>RDF</title></channel>
<item rdf:about="https://e.org/rdf-story"><title>RDF story</title><link>https://e.org/rdf-story</link>
  <dc:date>2026-11-21</dc:date></item>
<item rdf:about="https://e.org/about-only"><title>About only</title></item>
</rdf:RDF>"""


def test_rss2():
    entries = parse_feed(RSS)
    assert [(e.link, e.title) for e in entries] == [
        ("https://e.org/first", "First story"), ("https://e.org/guid-story", "Guid only"),
        ("https://e.org/dc", "Dated by DC")]
    assert entries[0].published == "2026-11-24T07:00:00+01:00"
    assert entries[2].published == "2026-11-23T10:00:00+00:00"
    assert entries[0].hints() == {"feed_title": "First story", "feed_published": "2026-11-24T07:00:00+01:00"}


def test_atom():
    entries = parse_feed(ATOM)
    assert [e.link for e in entries] == ["https://e.org/atom-story", "https://e.org/relless"]
    assert entries[0].title == "Atom <b>story</b>"
    assert (entries[0].published, entries[0].updated) == ("2026-11-24T06:00:00+00:00", "2026-11-24T09:00:00+00:00")
    assert entries[1].hints()["feed_published"] == "2026-11-22T01:02:03+02:00"


def test_rdf():
    entries = parse_feed(RDF)
    assert [(e.link, e.published) for e in entries] == [("https://e.org/rdf-story", "2026-11-21"),
                                                        ("https://e.org/about-only", None)]


def test_broken_feed_tolerated():
    broken = RSS.replace(b"</channel></rss>", b"<item><title>cut").replace(b"&", b"&amp")
    links = [e.link for e in parse_feed(broken)]
    assert links[:2] == ["https://e.org/first", "https://e.org/guid-story"]
    assert parse_feed(b"{json: 1}") is None


def test_sniff():
    assert sniff(NEWS_SITEMAP) == "sitemap"
    assert sniff(RSS) == "feed"
    assert sniff(ATOM) == "feed"
    assert sniff(RDF) == "feed"
    assert sniff(b"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><rss/>") == "feed"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "text/html") == "html"
    assert sniff(b"  <div>fragment</div>") == "html"
    assert sniff(b"%PDF-1.4 ...", "application/pdf") == "other"
    assert sniff(b"\x89PNG\r\n", "image/png") == "other"
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml") == "other"


def test_robots_sitemaps_and_dates():
    text = "User-agent: *\nDisallow: /x\nSitemap: https://e.org/a.xml # main\nsitemap:https://e.org/b.xml\n" \
           "SITEMAP: https://e.org/a.xml\n"
    assert robots_sitemaps(text) == ["https://e.org/a.xml", "https://e.org/b.xml"]
    assert normalize_date("Tue, 24 Nov 2026 07:00:00 GMT") == "2026-11-24T07:00:00+00:00"
    assert normalize_date("yesterday-ish") == "yesterday-ish"
    assert normalize_date("  ") is None


def test_text_sitemap():
    sm = parse_text_sitemap(b"\xef\xbb\xbfhttps://e.org/a\r\n\nhttp://e.org/b\n")
    assert [e.loc for e in sm.entries] == ["https://e.org/a", "http://e.org/b"]
    assert parse_text_sitemap(gzip.compress(b"https://e.org/a\n")).entries[0].loc == "https://e.org/a"
    assert parse_text_sitemap(b"Some notes about https://e.org/a\n") is None
    assert parse_text_sitemap(b"") is None
