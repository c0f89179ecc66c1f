"""A page whose ``<main>`` libxml2 puts inside a header ``<button>`` still gives its body.

libxml2 ignores an end tag it ranks below an open element: a ``<div>`` left open inside a
``<button>`` (a typo real templates ship) makes it drop ``</button>``, and everything after, the
article included, nests inside the header and is pruned with it. Browsers (HTML5) close the button.
Extraction then parses the page again as HTML5 (``encoding.parse_html5``) and reads that tree.
"""

from __future__ import annotations

from crawler.extract import extract
from crawler.extract.pipeline import extract_parsed, parse
from crawler.analysis.page import analyse

URL = "https://coastline.example/news/2026/harbour-ferry-returns"
PARAGRAPHS = (
    "The harbour ferry made its first crossing of the season on Saturday morning after four months "
    "in dry dock, carrying sixty passengers and a brass band across the bay.",
    "Engineers replaced both propeller shafts and rebuilt the wheelhouse, which had been damaged in "
    "the January storms, at a cost the council put at just over two hundred thousand pounds.",
    "Regular passengers said the timetable, with a crossing every forty minutes until dusk, would "
    "make the spring commute far easier than the long detour by the coast road.",
)
PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8">
<title>Harbour ferry returns after winter repairs | Coastline Gazette</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Harbour ferry returns after winter repairs">
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">Coastline Gazette</a>
  <button class="site-header__menu-button" aria-label="Main menu">
    <div class="site-header__menu-inner">
      <svg class="icon"><use href="#icon-menu"></use></svg>
    <div>
  </button>
  <nav><a href="/news/">News</a> <a href="/sport/">Sport</a> <a href="/weather/">Weather</a></nav>
</header>
<main id="main">
  <article>
    <h1>Harbour ferry returns after winter repairs</h1>
    <p class="byline">By Ines Marlow</p>
    {"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
  </article>
</main>
<footer>Copyright Coastline Gazette. <a href="/about/">About us</a></footer>
</body>
</html>""".encode()


def test_libxml2_nests_main_inside_the_header_button():
    """The premise: without the HTML5 re-parse this page has no body."""
    doc, _ = parse(PAGE)
    assert [e.tag for e in doc.xpath("//main/ancestor::*")][:4] == ["html", "body", "header", "button"]
    assert extract_parsed(doc, URL).body == ""


def test_extract_reads_the_html5_tree():
    article = extract(PAGE, URL)
    assert article.body.split("\n\n") == list(PARAGRAPHS)
    assert article.headline == "Harbour ferry returns after winter repairs"
    assert "Main menu" not in article.body and "Coastline Gazette" not in article.body
    assert "no body in libxml2's tree: parsed again as HTML5" in article.warnings


def test_the_crawl_takes_the_same_path():
    """The spider's one-parse page analysis gives the row `newsarchive extract` gives."""
    page = analyse(PAGE, URL, {"content-type": "text/html"}, article=True, links=False)
    assert page["label"] == "article"
    assert page["article"] == extract(PAGE, URL, {"content-type": "text/html"}).to_dict()


def test_a_page_without_a_body_is_not_parsed_into_one():
    """A page with nothing to extract stays empty (the second parse finds nothing either)."""
    article = extract(b"<html><body><header><button>Menu</button></header><nav><a href='/'>Home</a></nav>"
                      b"</body></html>", URL)
    assert article.body == ""
    assert "no article body found" in article.warnings
