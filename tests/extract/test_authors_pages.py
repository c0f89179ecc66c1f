"""Authors are people (and agencies a byline credits), never the labels and credits around them.

Pages written for these tests: a byline with a "Watch Live" button beside it, a section label in
the byline zone, an agency photo credit in a caption, a two-author byline, and a job title printed
after the name on a company blog.
"""

from __future__ import annotations

from crawler.extract import extract


def _page(header: str, body: str = "", head: str = "") -> str:
    paragraph = "<p>" + "The council met on Tuesday to discuss the new harbour plan in detail. " * 6 + "</p>"
    return (f"<html lang='en'><head><title>Harbour plan approved</title>{head}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/property'>Property</a> <a href='/tourism'>Tourism</a></nav>"
            f"<article><header><h1>Harbour plan approved</h1>{header}</header>{body}"
            f"{paragraph}{paragraph}{paragraph}</article></body></html>")


def test_watch_live_beside_the_byline_is_not_an_author():
    html = _page("<div class='byline'><span class='author'>By Nora Lindqvist</span>"
                 "<a class='author' href='/live'>Watch Live</a></div>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Nora Lindqvist"]


def test_section_labels_in_the_byline_zone_are_not_authors():
    html = _page("<div class='byline'><a class='author' href='/property'>Property</a>"
                 "<a class='author' href='/tourism'>Tourism</a></div>")
    assert extract(html, "https://example.org/news/harbour").authors == []


def test_agency_photo_credit_in_a_caption_is_not_an_author():
    html = _page("<p class='byline'>By Tomas Berger</p>",
                 "<figure><img src='/harbour.jpg' alt=''><figcaption>The old harbour at dawn. "
                 "<span class='credit'>APA/KEYSTONE/Peter Klaunzer</span></figcaption></figure>")
    art = extract(html, "https://example.org/news/harbour")
    assert art.authors == ["Tomas Berger"]


def test_two_author_byline_gives_both_people_in_order():
    html = _page("<p class='byline'>By Ada Moreno and Felix Wong</p>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Ada Moreno", "Felix Wong"]


def test_job_title_after_the_name_is_dropped():
    html = _page("<div class='author-box'><span class='author-name'>Meg Hollis Content Marketing Coordinator"
                 "</span></div>")
    assert extract(html, "https://example.org/blog/harbour").authors == ["Meg Hollis"]
