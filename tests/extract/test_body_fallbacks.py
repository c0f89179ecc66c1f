"""Body failure shapes seen on real pages, each on a small page written for the test.

- a long listicle review whose items sit in "product boxes" (class names that read as ads or
  shop widgets) between short paragraphs: the review is the body, not "no article body found";
- a page with a second full story in an aside: the body is the story the headline announces;
- a page whose visible body is empty (rendered by script) while its JSON-LD holds ``articleBody``:
  that text is the body.
"""

from __future__ import annotations

import json

from crawler.extract import extract

LOREM = ("The testers kept every model for three weeks of daily use in a small flat, noting battery life, "
         "noise at full power and how easy the filters were to replace without any tools at all.")


def _listicle() -> str:
    items = []
    for n, (name, verdict) in enumerate([
        ("Aerofresh Mini", "quiet enough for a bedroom and cheap to run, though its filter costs a lot"),
        ("Breezer Pro 3", "the strongest fan we measured, with an app that actually works offline"),
        ("Cleanair Duo", "two filters in one tall body, best for open-plan rooms with pets"),
        ("Dustaway S", "a compact choice that fits on a shelf and still clears a room in an hour"),
        ("Everpure Max", "expensive, but its sensor reacted to cooking smoke faster than any other"),
        ("Freshline 200", "the budget pick: loud on its top setting, fine on the night mode"),
    ], 1):
        items.append(f"""
      <h2>{n}. {name}</h2>
      <div class="product-box affiliate-widget">
        <img src="/img/{n}.jpg" alt="{name}">
        <div class="product-box__price">$ {99 + n * 20}.99</div>
        <a class="btn buy-button" href="https://shop.example/{n}">Check price</a>
      </div>
      <p>Our verdict on the {name}: {verdict}. {LOREM}</p>
      <p>In the smoke test the {name} brought the particle count back to normal in {10 + n} minutes,
         which puts it {'ahead of' if n % 2 else 'behind'} the average of the group we tested this year.</p>""")
    return f"""<!doctype html><html><head><title>The best air purifiers of the year, tested</title>
<meta property="og:title" content="The best air purifiers of the year, tested">
<meta name="description" content="We tested six air purifiers at home to find the best one for small rooms.">
</head><body>
<header><nav><a href="/">Home</a> <a href="/reviews">Reviews</a> <a href="/deals">Deals</a></nav></header>
<main>
  <h1>The best air purifiers of the year, tested</h1>
  <p class="byline">By Ana Test</p>
  <div class="review-list">
    <p>Air purifiers promise cleaner air at home, but the cheap ones are often loud and the dear ones
       are not always better. We tested six air purifiers for small rooms side by side to find out.</p>
    {''.join(items)}
    <p>Whatever you pick, place the purifier away from walls and change its filter on time: a clogged
       filter halves what any of these air purifiers can do.</p>
  </div>
</main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Ten kettles</a></li><li><a href="/b">Best fans</a></li></ul></aside>
<footer>Copyright 2026 Reviews Example</footer>
</body></html>"""


def test_long_listicle_review_with_product_boxes_gives_its_body():
    article = extract(_listicle(), "https://reviews.example/best-air-purifiers")
    body = article.body
    assert article.headline == "The best air purifiers of the year, tested"
    assert "We tested six air purifiers for small rooms" in body
    for name in ("Aerofresh Mini", "Cleanair Duo", "Freshline 200"):
        assert f"Our verdict on the {name}" in body
    assert "change its filter on time" in body
    assert "Check price" not in body
    assert "Most read" not in body
    assert article.word_count > 400


STORY = [
    "North Korea fired two short-range missiles into the sea off its east coast on Tuesday, the South "
    "Korean military said, the third launch this month as talks with Washington remain frozen.",
    "The missiles flew about 400 kilometres before falling into the water outside Japan's exclusive "
    "economic zone, according to the Joint Chiefs of Staff in Seoul.",
    "Analysts said the launches were meant to test new solid-fuel engines and to pressure South Korea "
    "ahead of joint military drills planned for next month.",
]
OTHER_STORY = [
    "The football club sacked its manager on Monday night after a run of seven league games without a "
    "win left the team one point above the relegation places with ten matches left to play.",
    "The board thanked him for three seasons in charge, including a cup final, and said a caretaker "
    "coach from the academy would take the first team for the weekend's away game in the north.",
    "Supporters had chanted against the owners during Saturday's home defeat, and several fan groups "
    "had asked for a meeting about the club's spending in the summer transfer window.",
    "The former manager's assistant and goalkeeping coach also left the club, which said it hoped to "
    "name a permanent successor before the international break at the end of the month.",
    "Bookmakers made a former national team coach the favourite for the job, ahead of two managers "
    "currently working in the second division who have both won promotion in recent seasons.",
]


def test_second_full_story_in_an_aside_is_not_the_body():
    story = "".join(f"<p>{p}</p>" for p in STORY)
    other = "".join(f"<p>{p}</p>" for p in OTHER_STORY)
    html = f"""<!doctype html><html><head><title>North Korea fires two missiles into the sea</title>
<meta property="og:title" content="North Korea fires two missiles into the sea">
<meta name="description" content="Seoul says the short-range missiles were the third launch this month.">
</head><body>
<div class="page">
  <div class="col-main"><h1>North Korea fires two missiles into the sea</h1><div class="text">{story}</div></div>
  <aside class="col-side"><h2>Club sacks manager after seven games without a win</h2><div class="text">{other}</div></aside>
</div></body></html>"""
    body = extract(html, "https://news.example/world/north-korea-missiles").body
    assert body.startswith("North Korea fired two short-range missiles"), body[:200]
    assert "Joint Chiefs of Staff" in body and "solid-fuel engines" in body
    assert "football" not in body and "manager" not in body


def test_empty_dom_body_falls_back_to_jsonld_article_body():
    paragraphs = [
        "The city council voted on Wednesday to turn the old tram depot into a public library with a "
        "reading garden, ending a decade of arguments over what to do with the empty building.",
        "Work is to start in the spring and take two years; the council put the cost at 14 million, "
        "half of it paid by a regional fund for the reuse of industrial buildings.",
        "Neighbours had campaigned for the library since the depot closed, collecting more than five "
        "thousand signatures and holding readings in the car park every summer.",
    ]
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Old tram depot to become a library", "articleBody": "\n\n".join(paragraphs)}
    html = f"""<!doctype html><html><head><title>Old tram depot to become a library</title>
<script type="application/ld+json">{json.dumps(data)}</script></head><body>
<header><a href="/">Home</a> <a href="/city">City</a></header>
<h1>Old tram depot to become a library</h1>
<div id="root"></div>
<footer><a href="/about">About us</a> <a href="/contact">Contact</a></footer>
<script>window.render && window.render('root')</script>
</body></html>"""
    article = extract(html, "https://news.example/city/tram-depot-library")
    assert article.body == "\n\n".join(paragraphs)


def test_an_id_naming_the_body_overrules_a_class_naming_chrome():
    # Some site builders put the whole post, as text with <br><br>, in a "meta field" wrapper whose
    # id says what it is.
    paras = "<br><br>".join(STORY + STORY[:1])
    html = f"""<html><head><title>North Korea fires two missiles into the sea</title></head><body>
<nav><a href="/">Home</a></nav><h1>North Korea fires two missiles into the sea</h1>
<div class="container"><span class="cms-wrapper cms-wrapper-meta-field" id="cms_wrapper_post_body">{paras}</span></div>
<footer>About us</footer></body></html>"""
    body = extract(html, "https://news.example/world/missiles").body
    assert body.startswith("North Korea fired two short-range missiles")
    assert "Joint Chiefs of Staff" in body


def test_sections_all_named_like_chrome_are_the_story_when_they_hold_nearly_all_its_prose():
    # A guide whose every section carries a "jump" (jump-link target) class: dropping them all as
    # chrome would leave nothing; the name is misleading, the sections stay.
    sections = "".join(f'<section class="guide-jump-section"><h2>Step {n}</h2><p>{p}</p></section>'
                       for n, p in enumerate(STORY + OTHER_STORY[:2], 1))
    html = f"""<html><head><title>A guide in five steps</title></head><body>
<nav><a href="/">Home</a> <a href="/guides">Guides</a></nav><main><h1>A guide in five steps</h1>{sections}</main>
<footer><p>Copyright 2026 Guide Example, all rights reserved.</p></footer></body></html>"""
    body = extract(html, "https://guides.example/five-steps").body
    assert "Joint Chiefs of Staff" in body and "relegation places" in body
    assert "Copyright" not in body
