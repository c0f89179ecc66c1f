"""The extraction verdict on small pages written for each failure shape: what ``extract`` says
about its own body, so a bad body never reaches the dataset as ``ok``."""

from __future__ import annotations

import json

from crawler.extract import extract
from crawler.extract.relevance import topic_overlap
from crawler.extract.pipeline import parse
from crawler.extract.verdict import PageSignals, judge, page_signals

STORY = (
    "The city council voted on Tuesday to rebuild the harbour bridge after engineers found cracks in "
    "its steel supports during a routine inspection last spring. The bridge carries about forty "
    "thousand vehicles a day between the old town and the industrial port. "
)


def page(headline: str, body_html: str, head: str = "", description: str = "") -> str:
    desc = f'<meta name="description" content="{description}">' if description else ""
    return (f"<html><head><title>{headline}</title>{desc}{head}</head><body>"
            f"<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main><article><h1>{headline}</h1>{body_html}</article></main>"
            f"<footer><p>Copyright the Harbour Gazette</p></footer></body></html>")


def paragraphs(text: str, n: int) -> str:
    return "".join(f"<p>{text} Paragraph {i} adds detail on the bridge repair plan.</p>" for i in range(n))


def test_a_good_article_is_ok():
    art = extract(page("Council votes to rebuild harbour bridge after cracks found", paragraphs(STORY, 6)),
                  url="https://news.example/bridge")
    assert art.word_count > 200
    assert (art.verdict, art.verdict_reasons) == ("ok", [])


def test_an_empty_body_is_suspect_empty_body():
    html = page("Council votes to rebuild harbour bridge", "<div class='share'><a href='/x'>Share</a></div>")
    art = extract(html, url="https://news.example/empty")
    assert art.body == ""
    assert art.verdict == "suspect"
    assert "empty-body" in art.verdict_reasons


def test_a_body_about_another_story_is_off_topic():
    other = ("The football club appointed a new manager on Monday after a season of poor results. "
             "Supporters gathered outside the stadium while the chairman praised the coaching record "
             "of the former midfielder, who signed a contract running until the summer. ")
    html = page("North Korea launches missile over Japan, prompting emergency alerts", paragraphs(other, 5),
                description="Pyongyang fired a ballistic missile that crossed Japanese airspace.")
    art = extract(html, url="https://news.example/missile")
    assert art.word_count > 100
    assert art.verdict == "suspect"
    assert art.verdict_reasons == ["off-topic-body"]


def test_a_teaser_behind_a_paywall_is_paywalled_and_teaser_only():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "Council votes to rebuild harbour bridge", "isAccessibleForFree": False,
          "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".locked"}}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    body = (f"<p>{STORY}</p><div class='locked'><p>Subscribe to continue reading this story.</p>"
            "<p>Already a subscriber? <a href='/login'>Log in</a></p></div>")
    art = extract(page("Council votes to rebuild harbour bridge", body, head=head), url="https://news.example/p")
    assert art.verdict == "suspect"
    assert "paywalled" in art.verdict_reasons and "teaser-only" in art.verdict_reasons


def test_a_paywall_marker_only_in_markup_marks_a_teaser():
    # No JSON-LD: only the markup says "paywall", and the body stage prunes that box before the verdict.
    body = (f"<p>{STORY}</p><div class='article-paywall'><p>Subscribe to continue reading.</p>"
            "<button class='subscribe-button'>Subscribe</button></div>")
    art = extract(page("Council votes to rebuild harbour bridge", body), url="https://news.example/m")
    assert "Subscribe" not in art.body
    assert art.verdict_reasons == ["teaser-only", "paywalled"]


def test_the_page_is_read_again_only_when_the_verdict_needs_it():
    html = page("Council votes to rebuild harbour bridge", f"<p>{STORY}</p><div class='paywall'>Join</div>")
    doc, _ = parse(html)
    reads = []

    def unpruned():
        reads.append(1)
        return parse(html)[0]

    long_body = " ".join([STORY] * 4)
    assert judge("Council votes to rebuild harbour bridge", None, long_body, page_signals(doc, unpruned)) == ("ok", [])
    assert reads == []  # 150+ words: neither the paragraph count nor the paywall can change the verdict
    assert judge("Council votes to rebuild harbour bridge", None, STORY,
                 page_signals(doc, unpruned)) == ("suspect", ["teaser-only", "paywalled"])
    assert reads == [1]


def test_a_body_far_shorter_than_the_publishers_article_body():
    full = " ".join([STORY] * 12)
    assert judge("Council votes to rebuild harbour bridge", None, STORY,
                 PageSignals(article_body_words=len(full.split()))) == ("suspect", ["much-shorter-than-articleBody"])
    # End to end the body stage falls back to the articleBody text itself (tests/extract/test_body_fallbacks.py).
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "Council votes to rebuild harbour bridge", "articleBody": full}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    art = extract(page("Council votes to rebuild harbour bridge", f"<p>{STORY}</p>", head=head),
                  url="https://news.example/short")
    assert art.body.split() == full.split() and "much-shorter-than-articleBody" not in art.verdict_reasons


def test_judge_is_pure_and_orders_reasons():
    verdict, reasons = judge("Bridge vote", None, "", PageSignals(not_free=True, article_body_words=500))
    assert verdict == "suspect"
    assert reasons == ["empty-body", "much-shorter-than-articleBody", "paywalled"]
    assert judge("Bridge vote", None, STORY * 3, PageSignals()) == ("ok", [])


def test_topic_overlap_is_language_blind():
    assert topic_overlap("Harbour bridge cracks", None, STORY) > 0.5
    assert topic_overlap("Missile crosses Japanese airspace", None, STORY) == 0.0
    assert topic_overlap("东京 地震 警报 发布", None, "东京发布地震警报，居民撤离。") > 0.5
    assert topic_overlap("Live", None, STORY) is None  # too few terms to judge


def topic_page(teasers: int) -> str:
    """A topic page written for this test: a section label and a "Loading ..." placeholder where the
    list should be, and the teasers of other stories in paragraphs around them."""
    items = "".join(f"<li><a href='/news/ferry-{i}'>Ferry timetable changes, part {i}</a><p>The harbour "
                    f"authority said crossings will run every forty minutes until March while crews repair "
                    f"the northern pier.</p></li>" for i in range(teasers))
    return page("News, Weather, Sports", f"<div class='label'>FERRY SERVICES</div><ul>{items}</ul>"
                                         "<div class='loader'>Loading ...</div>")


def test_a_tiny_body_on_a_page_of_teasers_is_teaser_only():
    # Below the 400 paragraph words of the teaser rule, a body of a label and a placeholder still
    # tells nothing: the page holds 8 times its words and 150 or more.
    body = "Please enable JavaScript\n\nFERRY SERVICES\n\nLoading ..."
    doc, _ = parse(topic_page(10))
    assert judge("News, Weather, Sports", None, body, page_signals(doc)) == ("suspect", ["teaser-only"])
    doc, _ = parse(topic_page(3))  # fewer than 150 words of paragraphs: nothing to compare with
    assert judge("News, Weather, Sports", None, body, page_signals(doc)) == ("ok", [])


def test_a_short_story_in_a_language_without_spaces_is_not_tiny():
    # 12 "words" by whitespace, 300 characters: a full short story in Japanese, next to long link lists.
    story = "\n\n".join(["気象庁は十三日、日向灘で震度五弱の地震があったと発表した。震源の深さは約三十キロと推定される。"] * 3 * 4)
    assert len(story.split()) <= 30 and len(story) > 200
    doc, _ = parse(topic_page(10))
    assert judge("日向灘で震度五弱の地震", None, story, page_signals(doc)) == ("ok", [])
