"""Two demo articles published the way JavaScript apps publish them.

- ``/apps/...-hydrated``: a Next.js-style shell. The visible DOM is an empty mount point; the story
  (title, authors, dates, body as HTML) travels in ``<script id="__NEXT_DATA__">`` JSON, which an
  inline script renders in a browser. A crawl without a browser extracts it from that state.
- ``/apps/...-rendered``: the story exists only as the output of a script: its text is base64 in
  the script, so no HTML parser (and no embedded-state reader) can see it. Only a browser capture
  (``NEWSARCHIVE_BROWSER = "auto"``) gets its body.

Both carry JSON-LD (headline, authors, dates, no ``articleBody``), as app sites do for search
engines, so they are classified as articles and keep their headline without a browser.
"""

from __future__ import annotations

import base64
import json

from crawler.demo import pages

SECTION = "news"
HYDRATED_PATH = "/apps/2026/11/22/night-bus-line-returns-hydrated"
RENDERED_PATH = "/apps/2026/11/22/library-opens-sunday-rendered"

APP_ARTICLES = [
    {
        "path": HYDRATED_PATH,
        "shape": "app/next-data",
        "headline": "Night bus line N4 returns after two years",
        "description": "The late-night route between the station and the hospital is back from December.",
        "authors": ["Tomas Reyes"],
        "published": "2026-11-22T07:30:00+00:00",
        "modified": "2026-11-22T09:05:00+00:00",
        "paragraphs": [
            "The night bus line N4 will run again from the first of December, two years after the transit "
            "authority cut it to save money, the authority said on Saturday.",
            "Buses will leave the central station every forty minutes between midnight and five in the "
            "morning, stopping at the hospital, the university halls and the industrial park on the way.",
            "Nurses and cleaners who work night shifts at the hospital had collected signatures for the "
            "return of the line since it was cut, saying taxis cost them a quarter of their wages.",
            "The authority said the line is funded for one year at first; whether it stays will depend "
            "on how many riders it carries through the winter months and the spring.",
        ],
    },
    {
        "path": RENDERED_PATH,
        "shape": "app/js-only",
        "headline": "Central library to open on Sundays",
        "description": "From January the central library will open from noon to five on Sundays.",
        "authors": ["Ines Albrecht"],
        "published": "2026-11-22T11:00:00+00:00",
        "modified": "2026-11-22T11:00:00+00:00",
        "paragraphs": [
            "The central library will open on Sundays from January, from noon until five in the "
            "afternoon, after the city council approved the extra staff hours on Thursday evening.",
            "Reading rooms, the children's floor and the study carrels will be open; the archive and the "
            "local history room stay closed on Sundays because they need specialist staff.",
            "The library had tried Sunday opening for six weeks in the spring, when more than four "
            "hundred visitors came on an average Sunday, most of them families and students.",
        ],
    },
]
LINKS = [(a["path"], a["headline"]) for a in APP_ARTICLES]

# What the inline renderer does in a browser: build the story's DOM from data.
_RENDER_JS = """
(function(){var s=%s;var root=document.getElementById('app');var a=document.createElement('article');
var h=document.createElement('h1');h.textContent=s.title;a.appendChild(h);
var b=document.createElement('p');b.className='byline';b.textContent='By '+s.authors.join(' and ');a.appendChild(b);
var body=document.createElement('div');body.className='story-body';body.innerHTML=s.html;a.appendChild(body);
root.appendChild(a);document.title=s.title;})();
"""


def _story(art: dict) -> dict:
    return {"title": art["headline"], "authors": list(art["authors"]), "publishedAt": art["published"],
            "updatedAt": art["modified"], "html": "".join(f"<p>{p}</p>" for p in art["paragraphs"])}


def _head(art: dict) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art["headline"],
          "description": art["description"], "datePublished": art["published"], "dateModified": art["modified"],
          "author": [{"@type": "Person", "name": n} for n in art["authors"]],
          "publisher": {"@type": "NewsMediaOrganization", "name": pages.SITE_NAME}, "url": art["path"]}
    return pages._head(f"{art['headline']} | {pages.SITE_NAME}",
                       f'<meta name="description" content="{pages.e(art["description"])}">\n'
                       f'<meta property="og:type" content="article">\n'
                       f'<meta property="og:site_name" content="{pages.SITE_NAME}">\n'
                       + pages._jsonld_script(ld))


def hydrated_page(art: dict) -> str:
    """The Next.js shape: state JSON in ``__NEXT_DATA__``, rendered into ``#__next`` by script."""
    data = {"props": {"pageProps": {"story": _story(art), "section": SECTION}}, "page": "/apps/[slug]",
            "query": {"slug": art["path"].rsplit("/", 1)[-1]}, "buildId": "demo-build-1"}
    state = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    render = _RENDER_JS.replace("document.getElementById('app')", "document.getElementById('__next')") % (
        "JSON.parse(document.getElementById('__NEXT_DATA__').textContent).props.pageProps.story")
    return (_head(art) + '<body class="app">\n<div id="__next"></div>\n'
            f'<script id="__NEXT_DATA__" type="application/json">{state}</script>\n'
            f"<script>{render}</script>\n</body>\n</html>\n")


def rendered_page(art: dict) -> str:
    """The client-rendered shape: the story is base64 inside the script that draws it."""
    packed = base64.b64encode(json.dumps(_story(art), ensure_ascii=True).encode()).decode()
    render = _RENDER_JS % f"JSON.parse(atob('{packed}'))"
    return (_head(art) + '<body class="app">\n<div id="app"></div>\n'
            "<noscript>This site needs JavaScript.</noscript>\n"
            f"<script>{render}</script>\n</body>\n</html>\n")


def manifest_info(art: dict) -> dict:
    """The answer key: what extraction should find (``first_paragraph`` is None for the page
    whose text no parser can see; ``needs_browser`` says only a browser capture gets its body)."""
    rendered = art["path"] == RENDERED_PATH
    return {"headline": art["headline"], "section": SECTION, "section_name": "Local News",
            "published": art["published"], "modified": art["modified"], "authors": list(art["authors"]),
            "language": "en", "shape": art["shape"],
            "first_paragraph": None if rendered else art["paragraphs"][0],
            "rendered_paragraphs": list(art["paragraphs"]), "needs_browser": rendered,
            "boilerplate": [], "in_news_sitemap": True, "in_feeds": False, "edited": False}


def sitemap_entries() -> list[dict]:
    """The app articles in the shape ``feeds.news_sitemap`` and ``feeds.pages_sitemap`` read."""
    return [{"path": a["path"], "lang": "en", "published": a["published"], "sitemap_title": a["headline"],
             "sitemap_lastmod": a["modified"]} for a in APP_ARTICLES]


def resources() -> list[tuple[str, bytes, dict]]:
    """``(path, body, manifest info)`` of each app article."""
    return [(art["path"], (rendered_page if art["path"] == RENDERED_PATH else hydrated_page)(art).encode(),
             manifest_info(art)) for art in APP_ARTICLES]
