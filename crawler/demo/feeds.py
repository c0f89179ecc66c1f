"""robots.txt, sitemaps and feeds, rendered per request for the request's Host.

Discovery documents must carry absolute URLs, and the demo runs on whatever port was free, so
these are the only documents built from the ``Host`` header. Their content does not depend on
the edition: sitemaps and feeds in the wild often lag behind an edited article.
"""

from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime
from xml.sax.saxutils import escape as xml_escape

from crawler.demo.pages import SITE_NAME
from crawler.demo.stories import PRIVATE_PATH, SECTIONS

XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def x(text) -> str:
    return xml_escape(str(text), {'"': "&quot;"})


def _origin(host: str) -> str:
    return f"http://{host}"


def robots(host: str) -> bytes:
    private_dir = PRIVATE_PATH.rsplit("/", 1)[0] + "/"
    return (
        "# Riverbend Courier robots policy\n"
        "User-agent: GPTBot\n"
        "Disallow: /\n"
        "\n"
        "User-agent: *\n"
        f"Disallow: {private_dir}\n"
        "Disallow: /search\n"
        "Allow: /\n"
        "\n"
        f"Sitemap: {_origin(host)}/sitemap.xml\n"
    ).encode()


def sitemap_index(host: str) -> bytes:
    o = _origin(host)
    return (
        XML_DECL
        + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <sitemap><loc>{o}/sitemaps/news.xml</loc><lastmod>2026-11-23T18:40:00-05:00</lastmod></sitemap>\n"
        f"  <sitemap><loc>{o}/sitemaps/pages.xml</loc><lastmod>2026-11-23T18:40:00-05:00</lastmod></sitemap>\n"
        "</sitemapindex>\n"
    ).encode()


def news_sitemap(articles, host: str) -> bytes:
    o = _origin(host)
    entries = []
    for art in articles:
        if not art.get("in_news_sitemap", True):
            continue
        entries.append(
            "  <url>\n"
            f"    <loc>{x(o + art['path'])}</loc>\n"
            "    <news:news>\n"
            "      <news:publication>\n"
            f"        <news:name>{x(SITE_NAME)}</news:name>\n"
            f"        <news:language>{x(art.get('lang', 'en'))}</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{x(art['published'])}</news:publication_date>\n"
            f"      <news:title>{x(art['sitemap_title'])}</news:title>\n"
            + (f"      <news:keywords>{x(', '.join(art['tags']))}</news:keywords>\n" if art.get("tags") else "")
            + "    </news:news>\n"
            + (f"    <image:image><image:loc>{x(o + art['figures'][0][0])}</image:loc></image:image>\n"
               if art.get("figures") else "")
            + "  </url>\n"
        )
    return (
        XML_DECL
        + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
        '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"\n'
        '        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n'
        + "".join(entries)
        + "</urlset>\n"
    ).encode()


def pages_sitemap(listing_paths, articles, today_path: str, host: str) -> bytes:
    o = _origin(host)
    rows = []
    for path in listing_paths:
        freq = "hourly" if path == "/" else "daily"
        rows.append(f"  <url><loc>{x(o + path)}</loc><changefreq>{freq}</changefreq></url>\n")
    for art in articles:
        rows.append(f"  <url><loc>{x(o + art['path'])}</loc>"
                    f"<lastmod>{x(art['sitemap_lastmod'])}</lastmod></url>\n")
    rows.append(f"  <url><loc>{x(o + today_path)}</loc><lastmod>2017-11-08T19:02:00+00:00</lastmod></url>\n")
    return (XML_DECL + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(rows) + "</urlset>\n").encode()


def _rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def rss(articles, today: dict, today_path: str, host: str) -> bytes:
    o = _origin(host)
    items = []
    for art in articles:
        if not art.get("in_feeds", True):
            continue
        section = next(s["name"] for s in SECTIONS if s["slug"] == art["section"])
        items.append(
            "    <item>\n"
            f"      <title>{x(art['sitemap_title'])}</title>\n"
            f"      <link>{x(o + art['path'])}</link>\n"
            f'      <guid isPermaLink="true">{x(o + art["path"])}</guid>\n'
            f"      <pubDate>{_rfc822(art['published'])}</pubDate>\n"
            f"      <dc:creator>{x(', '.join(art.get('byline_names', art['authors'])))}</dc:creator>\n"
            f"      <category>{x(section)}</category>\n"
            f"      <description>{x(art['description'])}</description>\n"
            "    </item>\n"
        )
    items.append(
        "    <item>\n"
        f"      <title>{x(today['headline'])}</title>\n"
        f"      <link>{x(o + today_path)}</link>\n"
        f'      <guid isPermaLink="true">{x(o + today_path)}</guid>\n'
        f"      <pubDate>{_rfc822(today['published'])}</pubDate>\n"
        f"      <dc:creator>{x(', '.join(today['authors']))}</dc:creator>\n"
        "      <category>Pop Culture</category>\n"
        f"      <description>{x(today['description'])}</description>\n"
        "    </item>\n"
    )
    return (
        XML_DECL
        + '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{x(SITE_NAME)}</title>\n"
        f"    <link>{o}/</link>\n"
        f'    <atom:link href="{o}/feeds/rss.xml" rel="self" type="application/rss+xml"/>\n'
        "    <description>Local news, business, culture and sport from Riverbend.</description>\n"
        "    <language>en-us</language>\n"
        "    <lastBuildDate>Mon, 23 Nov 2026 23:40:00 -0000</lastBuildDate>\n"
        "    <ttl>15</ttl>\n"
        + "".join(items)
        + "  </channel>\n</rss>\n"
    ).encode()


def atom(articles, host: str) -> bytes:
    o = _origin(host)
    entries = []
    for art in articles:
        if not art.get("in_feeds", True):
            continue
        authors = "".join(f"<author><name>{x(n)}</name></author>" for n in art.get("byline_names", art["authors"]))
        entries.append(
            "  <entry>\n"
            f"    <title>{x(art['sitemap_title'])}</title>\n"
            f'    <link rel="alternate" type="text/html" href="{x(o + art["path"])}"/>\n'
            f"    <id>tag:riverbend-courier.example,2026:{x(art['path'])}</id>\n"
            f"    <published>{x(art['published'])}</published>\n"
            f"    <updated>{x(art['sitemap_lastmod'])}</updated>\n"
            f"    {authors}\n"
            f'    <category term="{x(art["section"])}"/>\n'
            f"    <summary>{x(art['description'])}</summary>\n"
            "  </entry>\n"
        )
    return (
        XML_DECL
        + '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        f"  <title>{x(SITE_NAME)}</title>\n"
        "  <subtitle>Local news for Riverbend and the valley</subtitle>\n"
        f'  <link rel="self" type="application/atom+xml" href="{o}/feeds/atom.xml"/>\n'
        f'  <link rel="alternate" type="text/html" href="{o}/"/>\n'
        "  <id>tag:riverbend-courier.example,2026:/feeds/atom.xml</id>\n"
        "  <updated>2026-11-23T18:40:00-05:00</updated>\n"
        + "".join(entries)
        + "</feed>\n"
    ).encode()
