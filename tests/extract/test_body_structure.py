"""General structure rules of the body stage, on small synthetic pages (no site-specific markup)."""

from __future__ import annotations

import json

from crawler.extract import extract

P1 = "The council voted on Tuesday to close the old library, after a debate that lasted most of the night."
P2 = "Residents had collected more than four thousand signatures, and several spoke before the vote."
P3 = "The building will be sold next spring, and the collection moved to the new civic centre downtown."


def body_of(inner: str, around: str = "") -> str:
    html = (f"<html><head><title>Library closes</title></head><body>"
            f"<header><nav><a href='/'>Home</a><a href='/news'>News</a></nav></header>{around}"
            f"<main><article><h1>Library closes</h1>{inner}</article></main>"
            f"<footer><p>Copyright 2026 The Example Gazette. All rights reserved.</p></footer></body></html>")
    return extract(html.encode(), "https://example.test/news/library").body


def test_subheadings_lists_and_quotes_are_paragraphs_in_order():
    body = body_of(f"<p>{P1}</p><h2>What happens next</h2><ul><li>The sale opens in March.</li>"
                   f"<li>Books move in May.</li></ul><blockquote><p>We lost a home for readers.</p></blockquote><p>{P2}</p>")
    assert body.split("\n\n") == [P1, "What happens next", "The sale opens in March.", "Books move in May.",
                                  "We lost a home for readers.", P2]


def test_headline_is_not_body():
    assert not body_of(f"<p>{P1}</p><p>{P2}</p>").startswith("Library closes")


def test_share_bar_related_links_newsletter_and_ads_are_dropped():
    body = body_of(
        f"<div class='share-tools'><a href='#'>Facebook</a><a href='#'>Twitter</a></div><p>{P1}</p>"
        f"<div class='ad-slot'>Advertisement</div>"
        f"<div class='related-stories'><h3>More on this</h3><ul><li><a href='/a'>Budget cuts hit parks department hard</a></li>"
        f"<li><a href='/b'>Mayor opens new civic centre downtown</a></li></ul></div><p>{P2}</p>"
        f"<div class='newsletter-signup'><p>Get the Gazette newsletter delivered to your inbox every morning.</p></div>"
        f"<p>{P3}</p>")
    assert body.split("\n\n") == [P1, P2, P3]


def test_captions_bylines_and_datelines_are_dropped():
    body = body_of(f"<div class='article-meta'><span>By Jane Smith</span><time>Nov. 8, 2017, 5:51 PM UTC</time></div>"
                   f"<p>By Jane Smith and Tom Jones</p><p>Nov. 8, 2017</p><p>{P1}</p>"
                   f"<figure><img src='a.jpg' alt='x'><figcaption>The library in 1950. Photo: City Archive</figcaption></figure>"
                   f"<p>{P2}</p><p>Follow Jane Smith on Twitter.</p>")
    assert body.split("\n\n") == [P1, P2]


def test_cookie_and_browser_banners_are_dropped():
    body = body_of(f"<p>{P1}</p><p>{P2}</p>",
                   around="<div role='alert'>IE 11 is not supported. For an optimal experience visit our site on another browser.</div>"
                          "<div id='cookie-consent'><p>We use cookies to improve your experience on our website and for ads.</p></div>")
    assert body == f"{P1}\n\n{P2}"


def test_comments_section_is_not_body():
    comments = "".join(f"<div class='comment'><p>Reader {i}: I used to go there every week as a child, what a shame this is.</p></div>"
                       for i in range(6))
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><section id='comments'>{comments}</section>")
    assert body == f"{P1}\n\n{P2}\n\n{P3}"


def test_text_in_divs_with_line_breaks():
    body = body_of(f"<div class='story'>{P1}<br><br>{P2}<br/><br/>{P3}</div>")
    assert body.split("\n\n") == [P1, P2, P3]


def test_article_body_marked_by_schema_org_wins_over_a_longer_sidebar():
    sidebar = "".join(f"<p>Sidebar story number {i} has a long teaser text that goes on and on for a while.</p>" for i in range(8))
    html = (f"<html><body><div class='col'>{sidebar}</div><div class='col'><div itemprop='articleBody'>"
            f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></div></div></body></html>")
    assert extract(html.encode()).body == f"{P1}\n\n{P2}\n\n{P3}"


def test_story_split_by_an_ad_is_kept_whole():
    body = body_of(f"<div class='body-part'><p>{P1}</p><p>{P2}</p></div><div class='ad'>Advertisement</div>"
                   f"<div class='body-part'><p>{P3}</p></div>")
    assert body.split("\n\n") == [P1, P2, P3]


def test_jsonld_article_body_points_at_the_whole_story():
    # Mass alone stops in the long first part (it holds > 70% of the prose); the publisher's
    # articleBody starts there but ends in the short second part, so both are the story.
    long_part = " ".join([P1, P2, P3] * 3)
    tail = "In the end the mayor thanked everyone who came, and promised a public hearing in the spring."
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "articleBody": f"{long_part} {tail}"})
    html = (f"<html><head><script type='application/ld+json'>{ld}</script></head><body><main>"
            f"<div class='part-one'><p>{long_part}</p></div><div class='part-two'><p>{tail}</p></div>"
            f"</main></body></html>")
    assert extract(html.encode()).body == f"{long_part}\n\n{tail}"


def test_a_big_noscript_page_is_read():
    paragraphs = "".join(f"<p>{P1} {P2} {P3}</p>" for _ in range(5))
    html = f"<html><body><noscript><div>{paragraphs}</div></noscript></body></html>"
    assert extract(html.encode()).body.startswith(P1)


def test_boilerplate_phrases_do_not_eat_ordinary_prose():
    from crawler.extract.boilerplate import is_boilerplate_text

    prose = [
        "By then it was late.",
        "By Friday, officials said the toll had risen.",
        "The newsletter, published by the group since 1998, reported a drop in membership.",
        "“Even textbooks of [gastrointestinal] medicine had no idea what these cells did,” he said.",
        "[1] Alarm fatigue: impacts on patient safety, Ruskin KJ, Hueske-Kraus D.",
        "Shares of Home Depot fell 3% on Tuesday.",
        "$139.00",
        "Part 2",
        "Only 5 left.",
    ]
    assert [p for p in prose if is_boilerplate_text(p)] == []
    chrome = ["Advertisement", "By Randee Dawn", "/ Source: TODAY", "Follow Randee Dawn on Twitter.",
              "Nov. 8, 2017, 5:51 PM UTC", "Recommended for you", "Skip to Content", "Lesen Sie auch",
              "Keith Bradsher contributed reporting from Hong Kong.", "#QAnon #Politik"]
    assert [c for c in chrome if not is_boilerplate_text(c)] == []
