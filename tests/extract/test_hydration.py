"""App-shell pages whose story is only in the embedded state (``crawler/extract/hydration.py``).

Each page is written for the test in the shape one framework ships: Next.js ``__NEXT_DATA__``
JSON with an HTML body, Nuxt 3 ``__NUXT_DATA__`` (devalue's flat array), a Redux store assigned
to ``window.__PRELOADED_STATE__`` with a rich-text block list, Nuxt 2's ``window.__NUXT__``
function literal. The DOM of each holds nothing but an empty mount point.
"""

from __future__ import annotations

import json

from crawler.extract import extract
from crawler.extract.hydration import unflatten_devalue

PARAS = [
    "The harbour ferry will run every fifteen minutes from March, the transport board said on Monday, "
    "after a winter in which queues on the quay grew longer than the boats could carry.",
    "Two new boats, built at the yard across the bay, join the three old ones; the oldest, in service "
    "since 1988, is to be kept as a spare for festival weekends and breakdowns.",
    "Commuters on the island side had asked for a later last crossing for years, and the board agreed "
    "to add one at half past midnight on Fridays and Saturdays for a trial of six months.",
    "Fares stay as they are until the autumn, when the board will decide on a new price after counting "
    "how many passengers the extra crossings bring in across the whole of the summer season.",
]
HEADLINE = "Harbour ferry to run every fifteen minutes"


def shell(head: str = "", body_end: str = "", title: str = "Island News") -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Island News">{head}</head>
<body><div id="__next"></div><noscript>You need to enable JavaScript to run this app.</noscript>
{body_end}<script src="/static/app.js"></script></body></html>"""


def words(text: str) -> list[str]:
    return text.split()


def test_next_data_article_with_html_body_and_boilerplate_inside():
    body_html = "".join(f"<p>{p}</p>" for p in PARAS)
    body_html = ('<div class="share-bar"><a href="/s/fb">Share on Facebook</a><a href="/s/x">Share on X</a></div>'
                 + body_html + '<p>Advertisement</p><aside class="related-links"><a href="/a">Other story one</a>'
                 '<a href="/b">Other story two</a></aside>')
    data = {"props": {"pageProps": {
        "navigation": [{"title": "Home", "href": "/"}, {"title": "Local", "href": "/local"}],
        "article": {"id": 42, "title": HEADLINE, "publishedAt": "2026-11-30T08:15:00Z",
                    "updatedAt": "2026-11-30T10:00:00Z",
                    "authors": [{"name": "Maren Olsen", "slug": "maren-olsen"}],
                    "body": body_html}}},
        "page": "/news/[slug]", "buildId": "abc"}
    html = shell(body_end=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')
    art = extract(html, "https://island.example/news/harbour-ferry")
    assert art.body == "\n\n".join(PARAS)
    assert art.headline == HEADLINE
    assert art.authors == ["Maren Olsen"]
    assert art.published.startswith("2026-11-30T08:15")
    assert art.modified.startswith("2026-11-30T10:00")
    assert art.verdict == "suspect" and art.verdict_reasons == ["body-from-embedded-data"]


def _devalue(value, flat: list) -> int:
    """Flatten ``value`` the way devalue does (containers hold indexes)."""
    index = len(flat)
    flat.append(None)
    if isinstance(value, dict):
        flat[index] = {k: _devalue(v, flat) for k, v in value.items()}
    elif isinstance(value, list):
        flat[index] = [_devalue(v, flat) for v in value]
    else:
        flat[index] = value
    return index


def test_nuxt_data_devalue_article():
    payload = {"data": {"story-harbour": {"headline": HEADLINE, "datePublished": "2026-11-29",
                                          "author": {"name": "Jon Berg"},
                                          "content": [{"type": "paragraph", "text": p} for p in PARAS]}},
               "state": {"menuOpen": False}}
    flat: list = [["ShallowReactive", 1]]  # Nuxt wraps the root
    _devalue({"payload": payload}, flat)
    assert unflatten_devalue(flat) == {"payload": payload}
    html = shell(body_end=f'<script type="application/json" id="__NUXT_DATA__" data-ssr="true">{json.dumps(flat)}</script>')
    art = extract(html, "https://island.example/a/harbour")
    assert art.body == "\n\n".join(PARAS)
    assert (art.headline, art.authors, art.published) == (HEADLINE, ["Jon Berg"], "2026-11-29")


def test_redux_preloaded_state_with_rich_text_blocks_and_a_visible_teaser():
    blocks = [{"_type": "block", "children": [{"_type": "span", "text": p[:40], "marks": []},
                                              {"_type": "span", "text": p[40:], "marks": ["em"]}]} for p in PARAS]
    state = {"router": {"location": "/x"}, "entities": {"stories": {"991": {
        "headline": HEADLINE, "byline": "By Ada Lind", "firstPublishedAt": 1764490500000, "richText": blocks,
        "teaser": PARAS[0][:80]}}}}
    teaser = f"<main><h1>{HEADLINE}</h1><p>{PARAS[0]}</p></main>"
    html = shell(body_end=f"<script>window.__PRELOADED_STATE__ = {json.dumps(state)};</script>").replace(
        '<div id="__next"></div>', teaser)
    art = extract(html, "https://island.example/story/991")
    assert words(art.body) == words(" ".join(PARAS))
    assert art.body.count("\n\n") == len(PARAS) - 1
    assert art.authors == ["Ada Lind"]
    assert art.published.startswith("2025-11-30")
    assert "body-from-embedded-data" in art.verdict_reasons


def test_nuxt2_function_literal_state():
    body = "".join(f"<p>{p}</p>" for p in PARAS).replace('"', '\\"')
    script = ('window.__NUXT__=(function(a,b){return {layout:"default",data:[{article:{title:"' + HEADLINE
              + '",author:"Per Holm",publishedAt:"2026-11-28T06:00:00+01:00",html:"' + body
              + '"}}],state:{ui:a}}}(false,null));')
    art = extract(shell(body_end=f"<script>{script}</script>"), "https://island.example/n/1")
    assert art.body == "\n\n".join(PARAS)
    assert (art.headline, art.authors) == (HEADLINE, ["Per Holm"])


def test_state_without_byline_or_date_is_not_an_article():
    """A shop's app state: a title and a long description, but no author and no publication date."""
    product = {"props": {"pageProps": {"product": {
        "title": "Harbour ferry model kit", "sku": "HF-1",
        "content": " ".join(PARAS), "price": {"amount": 49}}}}}
    html = shell(body_end=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(product)}</script>')
    art = extract(html, "https://shop.example/p/hf-1")
    assert art.body == "" and "empty-body" in art.verdict_reasons


def test_a_page_that_renders_its_story_keeps_the_dom_body():
    """Server-rendered apps carry the same story in the state: the visible text stays the body."""
    data = {"props": {"pageProps": {"article": {"title": HEADLINE, "publishedAt": "2026-11-30",
                                                "body": "".join(f"<p>{p}</p>" for p in PARAS)}}}}
    visible = f"<article><h1>{HEADLINE}</h1>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>"
    html = shell(body_end=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>').replace(
        '<div id="__next"></div>', visible)
    art = extract(html, "https://island.example/news/harbour-ferry")
    assert art.body == "\n\n".join(PARAS)
    assert art.verdict == "ok" and not any("embedded" in w for w in art.warnings)


def test_a_topic_page_holding_one_storys_state_does_not_take_its_byline_or_date():
    """A listing titled for its topic whose state holds one full story: the story may be the best
    text there is, but its author and date are not the page's."""
    data = {"props": {"pageProps": {"feed": [{"title": HEADLINE, "publishedAt": "2026-11-30",
                                              "author": {"name": "Maren Olsen"},
                                              "body": "".join(f"<p>{p}</p>" for p in PARAS)}]}}}
    html = shell(title="Harbour and island ferry news, videos and comments",
                 body_end=f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')
    art = extract(html, "https://island.example/topics/ferries")
    assert art.body == "\n\n".join(PARAS)
    assert art.headline == "Harbour and island ferry news, videos and comments"
    assert (art.authors, art.published) == ([], None)
