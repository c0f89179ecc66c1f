"""Metadata on small handmade pages: structured data first, cross-checked against the visible page."""

from __future__ import annotations

import json

import lxml.html

from crawler.extract import extract
from crawler.extract.structured import extract_metadata

URL = "https://news.example/politics/story-1"


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def ld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def meta_of(html: str, url: str = URL) -> dict:
    return extract_metadata(lxml.html.document_fromstring(html), url)


def test_jsonld_graph_with_id_references():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "@id": "#a", "headline": "Council votes on budget",
         "author": {"@id": "#p1"}, "publisher": {"@id": "#org"},
         "datePublished": "2023-05-02T08:00:00+02:00", "dateModified": "2023-05-03T09:30:00+02:00",
         "articleSection": "Politics", "keywords": ["budget", "council"], "inLanguage": "de-DE"},
        {"@type": "Person", "@id": "#p1", "name": "Erika Musterfrau"},
        {"@type": "Organization", "@id": "#org", "name": "Example Times"}]}
    m = meta_of(page(ld(graph), "<h1>Council votes on budget</h1><p>Text.</p>"))
    assert m["headline"] == "Council votes on budget"
    assert m["authors"] == ["Erika Musterfrau"]
    assert m["published"] == "2023-05-02T08:00:00+02:00"
    assert m["modified"] == "2023-05-03T09:30:00+02:00"
    assert (m["section"], m["site_name"], m["tags"]) == ("Politics", "Example Times", ["budget", "council"])


def test_visible_person_beats_organisation_author():
    data = {"@type": "NewsArticle", "headline": "Storm hits coast", "author": {"@type": "Organization",
                                                                              "name": "Example News"},
            "datePublished": "2022-01-05"}
    body = '<h1>Storm hits coast</h1><div class="byline">By Jane Roe and John Poe</div><p>Text.</p>'
    m = meta_of(page(ld(data), body))
    assert m["authors"] == ["Jane Roe", "John Poe"]
    assert m["byline"] == "By Jane Roe and John Poe"


def test_comment_and_teaser_authors_are_ignored():
    body = """<h1>Title of the story</h1><div class="comments"><span class="author">Troll Person</span></div>
              <aside><span class="byline">By Other Writer</span></aside>"""
    assert meta_of(page("", body))["authors"] == []


def test_meta_tags_and_og():
    head = """<title>Big news today | Example Site</title><meta property="og:site_name" content="Example Site">
        <meta property="og:image" content="/img/top.jpg"><link rel="canonical" href="/politics/story-1">
        <meta name="author" content="Max Muster"><meta property="article:published_time" content="2021-03-04T10:00:00Z">
        <meta property="article:tag" content="a"><meta property="article:tag" content="b">
        <meta name="description" content="The dek.">"""
    m = meta_of(page(head, "<p>Published March 4, 2021</p>", lang="de-AT"))
    assert m["headline"] == "Big news today"
    assert m["authors"] == ["Max Muster"]
    assert m["published"] == "2021-03-04T10:00:00+00:00"
    assert (m["language"], m["site_name"], m["description"]) == ("de", "Example Site", "The dek.")
    assert m["canonical_url"] == "https://news.example/politics/story-1"
    assert m["top_image"] == "https://news.example/img/top.jpg"
    assert m["tags"] == ["a", "b"]


def test_no_date_means_none_never_now():
    m = meta_of(page("", "<h1>Timeless recipe</h1><p>Mix and bake.</p>"), "https://news.example/recipes/cake")
    assert m["published"] is None and m["modified"] is None


def test_url_date_only_with_full_day():
    body = "<h1>Story</h1><p>Text.</p>"
    assert meta_of(page("", body), "https://n.example/2019/10/24/story/")["published"] == "2019-10-24"
    assert meta_of(page("", body), "https://n.example/2019/10/story/")["published"] is None


def test_visible_dateline_and_time_element():
    body = '<h1>Story</h1><p class="meta">Veröffentlicht am 3. Februar 2022</p><p>Text.</p>'
    assert meta_of(page("", body, lang="de"))["published"] == "2022-02-03"
    body = '<h1>Story</h1><time datetime="2020-06-01T12:00:00-04:00">June 1</time>'
    assert meta_of(page("", body))["published"] == "2020-06-01T12:00:00-04:00"


def test_broken_jsonld_does_not_hide_other_blocks():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",}</script>'
            '<script type="application/ld+json">{broken</script>')
    m = meta_of(page(head, "<h1>x</h1>"))
    assert m["headline"] == "x"


def test_extract_never_raises_on_junk():
    for junk in (b"", b"\x00\xff\xfe binary", "<html><body><figure><figcaption>".encode(), b"<" * 1000):
        art = extract(junk, URL)
        assert art.authors == [] and art.published is None


def test_agency_beside_person_and_organisation_credit():
    """Lead's policy: wire services are authors beside persons; with no person, the organisation the
    structured data names is the author (docs/dataset.md); the publication's own name only where a
    visible byline prints it."""
    body = '<h1>Storm hits coast</h1><div class="byline">Von Paula Steiger, SDA</div><p>Text.</p>'
    assert meta_of(page("", body))["authors"] == ["Paula Steiger", "SDA"]

    data = {"@type": "NewsArticle", "headline": "Storm hits coast", "datePublished": "2022-01-05",
            "author": {"@type": "Organization", "name": "Redaktion hessenschau.de"}}
    shown = '<h1>Storm hits coast</h1><p class="author">Redaktion hessenschau.de</p><p>Text.</p>'
    assert meta_of(page(ld(data), shown))["authors"] == ["Redaktion hessenschau.de"]
    hidden = '<h1>Storm hits coast</h1><p>Text.</p>'
    assert meta_of(page(ld(data), hidden))["authors"] == ["Redaktion hessenschau.de"]
    own = '<meta property="og:site_name" content="Redaktion hessenschau.de">'
    assert meta_of(page(own + ld(data), hidden))["authors"] == []

    site = '<meta property="og:site_name" content="Auto Zeitung"><meta name="author" content="Auto Zeitung">'
    assert meta_of(page(site, "<h1>Storm hits coast</h1><p>Text.</p>"))["authors"] == []
    place = '<meta name="author" content="Olympia-Verlag GmbH, Nürnberg, Germany">'
    assert meta_of(page(place, "<h1>Storm hits coast</h1><p>Text.</p>"))["authors"] == []


def test_dateline_element_and_labelled_dates():
    """Without structured dates: an element holding only a date is the page's date; a date inside a
    sentence or after another label is an event's; a label may be followed by a weekday."""
    own = '<h2>Story</h2><div><span>Teilen:</span></div><p>01.11.2023 11:35</p><p>Am 6. Mai 2024 findet ein Fest statt.</p>'
    assert meta_of(page("", own, lang="de"))["published"][:10] == "2023-11-01"
    event = '<h2>Story</h2><p>Am 6. Mai 2024 findet ein Fest statt.</p><div>Created Jan 25, 2008</div>'
    assert meta_of(page("", event, lang="de"))["published"] is None
    label = '<h2>Story</h2><p>Text.</p><div>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 veröffentlicht</div>'
    assert meta_of(page("", label, lang="de"))["published"] == "2011-12-03"


def test_structured_date_kept_when_the_page_language_has_no_month_table():
    """A date we cannot read on screen (Arabic, Hungarian...) is no evidence that the page shows none."""
    head = '<meta property="article:published_time" content="2020-08-24T09:23:13Z">'
    assert meta_of(page(head, "<h1>عنوان</h1><p>نص المقال</p>", lang="ar"))["published"] == "2020-08-24T09:23:13+00:00"
    # a generic CMS date (no article type) that a readable page does not show is dropped; an
    # article's own article:published_time is kept even unshown (issue 13: abstain only when no
    # candidate survives)
    generic = '<meta name="date" content="2020-08-24T09:23:13Z">'
    assert meta_of(page(generic, "<h1>Titel</h1><p>Nur Text.</p>", lang="de"))["published"] is None
    assert meta_of(page(head, "<h1>Titel</h1><p>Nur Text.</p>", lang="de"))["published"] == "2020-08-24T09:23:13+00:00"


def test_day_and_month_swapped_is_no_evidence_against_structured_date():
    data = {"@type": "NewsArticle", "headline": "Roller test", "datePublished": "2021-11-01T05:00:14"}
    body = '<h1>Roller test</h1><div class="date">01/11/2021</div><p>Text.</p>'
    assert meta_of(page(ld(data), body))["published"] == "2021-11-01T05:00:14"


def test_microdata_date_of_another_item_is_not_the_pages():
    body = ('<h2>Hutch</h2><div itemscope itemtype="https://schema.org/Review">'
            '<span itemprop="datePublished" content="2020-06-08 00:00:00"></span>Great.</div>')
    assert meta_of(page("", body, lang="de"))["published"] is None
    own = '<h2>Hutch</h2><div itemscope itemtype="https://schema.org/NewsArticle"><time itemprop="datePublished" datetime="2020-06-08">8. Juni</time></div>'
    assert meta_of(page("", own, lang="de"))["published"] == "2020-06-08"


def test_personal_blog_and_agency_publishers_keep_their_author():
    """The publication's own name is trimmed from authors, but not when the publisher is a person (a
    personal blog) or the name is a news agency (AP publishing its own story)."""
    blog = {"@type": "BlogPosting", "headline": "Fifteen years", "datePublished": "2019-07-28",
            "author": {"@type": "Person", "name": "Andreas Kalt"},
            "publisher": {"@type": "Person", "name": "Andreas Kalt"}}
    assert meta_of(page(ld(blog), "<h1>Fifteen years</h1><p>Text.</p>"))["authors"] == ["Andreas Kalt"]
    wire = {"@type": "NewsArticle", "headline": "Economy grows", "datePublished": "2023-04-28",
            "author": "Associated Press", "publisher": {"@type": "Organization", "name": "Associated Press"}}
    assert meta_of(page(ld(wire), "<h1>Economy grows</h1><p>Text.</p>"))["authors"] == ["Associated Press"]


def test_last_modified_stamp_in_the_page_footer_is_no_publication_date():
    footer = '<h2>stunnel and rsync</h2><p>' + 'Long how-to text. ' * 40 + '</p><p>Last Modified: 03-10-2004 2:20pm</p>'
    assert meta_of(page("", footer))["published"] is None
    labelled = '<h2>Story</h2><p>Aktualisiert: 30.12.2016</p><p>' + 'Text des Artikels. ' * 40 + '</p>'
    assert meta_of(page("", labelled, lang="de"))["published"] is None  # an update label dates no publication


def test_structured_agency_joins_the_visible_person():
    """An agency in the author field is added to the person the byline shows, not chosen over them."""
    data = {"@type": "NewsArticle", "headline": "Markets calm", "datePublished": "2020-06-24",
            "author": {"@type": "Organization", "name": "AFP"}}
    body = '<h1>Markets calm</h1><div class="byline">By Jane Roe</div><p>Text.</p>'
    assert meta_of(page(ld(data), body))["authors"] == ["Jane Roe", "AFP"]
    prefixed = '<h1>Gaza</h1><div class="author">Propos recueillis par Patrick Angevin</div><p>Texte.</p>'
    assert meta_of(page("", prefixed, lang="fr"))["authors"] == ["Patrick Angevin"]
