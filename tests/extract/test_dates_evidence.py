"""Publication dates from the right evidence, checked for sanity (issue 13).

Each page is small and written for the shape it tests: the day/month order of a British and a US
page, a today's-date widget in the site header, teaser dates, JSON-LD with an ItemList of teasers,
a live blog, a dateless page, a date later than the capture, a two-digit year read in the capture's
century, a question page dated by its question, not by its answers or edits, a forum thread dated by
its JSON-LD opening post, a UTC instant kept in the page's own offset, a lede's dateline, a reader
comment's date and a date inside a sentence (neither is the page's).
"""

from __future__ import annotations

from crawler.extract import extract


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head><title>Council votes on the harbour plan</title>{head}</head><body>{body}</body></html>"


ARTICLE = ("<article><h1>Council votes on the harbour plan</h1><p class='byline'>By Jane Doe</p>{date}"
           "<p>The council voted on Tuesday to approve the harbour plan after a long debate about costs.</p>"
           "<p>Residents had asked for more time to study the proposal and its effect on fishing.</p></article>")


def test_british_page_reads_day_first():
    html = page(ARTICLE.format(date="<p class='date'>12/03/2026</p>"), lang="en-GB")
    assert extract(html, "https://news.example.co.uk/harbour").published == "2026-03-12"


def test_british_country_domain_reads_day_first_without_a_region():
    html = page(ARTICLE.format(date="<p class='date'>12/03/2026</p>"))
    assert extract(html, "https://news.example.co.uk/harbour").published == "2026-03-12"


def test_us_page_reads_month_first():
    html = page(ARTICLE.format(date="<p class='date'>12/03/2026</p>"), lang="en-US")
    assert extract(html, "https://news.example.com/harbour").published == "2026-12-03"


def test_another_date_on_the_page_settles_the_order():
    body = ARTICLE.format(date="<p class='date'>04/03/2026</p>") + "<p>Consultation closed 25/02/2026.</p>"
    html = page(body, lang="en-US")  # the page's own "25/02" outweighs the declared US locale
    assert extract(html, "https://news.example.com/harbour").published == "2026-03-04"


def test_todays_date_widget_in_the_site_header_is_not_the_date():
    header = "<header class='site-header'><nav><a href='/'>Home</a></nav><div>Thursday, December 3, 2026</div></header>"
    html = page(header + ARTICLE.format(date=""), head="<meta property='article:published_time' content='2026-03-11T09:00:00Z'>"
                "<meta property='article:modified_time' content='2026-03-11T12:00:00Z'>")
    art = extract(html, "https://news.example.com/harbour")
    assert art.published == "2026-03-11T09:00:00+00:00"
    assert art.modified == "2026-03-11T12:00:00+00:00"


def test_header_widget_alone_gives_no_date():
    header = "<header><div class='today'>Thursday, December 3, 2026</div></header>"
    art = extract(page(header + ARTICLE.format(date="")), "https://news.example.com/harbour")
    assert art.published is None


def test_related_teaser_dates_are_not_the_date():
    related = ("<aside class='related'><h2>More</h2><ul><li><a href='/a'>Old story</a> <time datetime='2025-01-02'>"
               "Jan 2, 2025</time></li></ul></aside>")
    html = page(ARTICLE.format(date="<time datetime='2026-02-20T08:00:00Z'>20 Feb 2026</time>") + related)
    assert extract(html, "https://news.example.com/harbour").published == "2026-02-20T08:00:00+00:00"


def test_jsonld_itemlist_of_teasers_does_not_date_the_article():
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","itemListElement":['
          '{"@type":"ListItem","position":1,"item":{"@type":"NewsArticle","headline":"Old story",'
          '"datePublished":"2024-05-01T10:00:00Z"}}]}</script>'
          '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
          '"headline":"Council votes on the harbour plan","datePublished":"2026-02-19T07:30:00Z"}</script>')
    html = page(ARTICLE.format(date=""), head=ld)
    assert extract(html, "https://news.example.com/harbour").published == "2026-02-19T07:30:00+00:00"


def test_live_blog_published_is_its_first_post():
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"LiveBlogPosting",'
          '"headline":"Storm live","datePublished":"2026-02-19T18:45:00Z","dateModified":"2026-02-19T18:45:00Z",'
          '"coverageStartTime":"2026-02-19T06:00:00Z","liveBlogUpdate":['
          '{"@type":"BlogPosting","headline":"Latest","datePublished":"2026-02-19T18:45:00Z"},'
          '{"@type":"BlogPosting","headline":"First","datePublished":"2026-02-19T06:10:00Z"}]}</script>')
    art = extract(page(ARTICLE.format(date=""), head=ld), "https://news.example.com/storm-live")
    assert art.published == "2026-02-19T06:00:00+00:00"
    assert art.modified == "2026-02-19T18:45:00+00:00"


def test_dateless_page_has_no_date():
    art = extract(page(ARTICLE.format(date="")), "https://news.example.com/harbour")
    assert art.published is None and art.modified is None


def test_date_after_the_capture_is_dropped_with_a_warning():
    head = "<meta property='article:published_time' content='2026-06-01T09:00:00Z'>"
    art = extract(page(ARTICLE.format(date=""), head=head), "https://news.example.com/harbour",
                  fetched="2026-03-01T12:00:00Z")
    assert art.published is None
    assert any("2026-06-01" in w and "later than the capture" in w for w in art.warnings)
    # the same page captured after that day keeps it
    assert extract(page(ARTICLE.format(date=""), head=head), "https://news.example.com/harbour",
                   fetched="2026-06-02T00:00:00Z").published == "2026-06-01T09:00:00+00:00"


def test_http_date_header_bounds_dates_without_a_capture_time():
    head = "<meta property='article:published_time' content='2026-06-01T09:00:00Z'>"
    art = extract(page(ARTICLE.format(date=""), head=head).encode(), "https://news.example.com/harbour",
                  headers={"Content-Type": "text/html; charset=utf-8", "Date": "Sun, 01 Mar 2026 12:00:00 GMT"})
    assert art.published is None


def test_visible_date_later_than_the_modification_date_is_dropped():
    head = "<meta property='article:modified_time' content='2026-03-10T12:00:00Z'>"
    html = page(ARTICLE.format(date="<p class='date'>Published: 20 March 2026</p>"), head=head)
    art = extract(html, "https://news.example.com/harbour")
    assert art.published is None
    assert any("2026-03-20" in w and "modification date" in w for w in art.warnings)


def test_updated_date_does_not_replace_the_publication_date():
    head = ("<meta property='article:published_time' content='2026-03-02T08:00:00Z'>"
            "<meta property='article:modified_time' content='2026-03-14T08:00:00Z'>")
    html = page(ARTICLE.format(date="<p>Last updated: 14 March 2026</p>"), head=head)
    art = extract(html, "https://news.example.com/harbour")  # the page shows only its update
    assert (art.published, art.modified) == ("2026-03-02T08:00:00+00:00", "2026-03-14T08:00:00+00:00")


def test_two_digit_year_is_read_in_the_capture_century():
    html = page(ARTICLE.format(date="<p class='date'>Posted 12.03.98</p>"), lang="de")
    assert extract(html, "https://news.example.de/hafen", fetched="2026-03-14T10:00:00Z").published == "1998-03-12"
    html = page(ARTICLE.format(date="<p class='date'>Posted 12.03.26</p>"), lang="de")
    assert extract(html, "https://news.example.de/hafen", fetched="2026-03-14T10:00:00Z").published == "2026-03-12"
    # the same page captured in 2020 cannot show a 2026 date, nor 1926
    assert extract(html, "https://news.example.de/hafen", fetched="2020-01-01T00:00:00Z").published is None


def test_question_page_is_dated_by_its_question():
    body = ("<div itemscope itemtype='https://schema.org/QAPage'><div itemprop='mainEntity' itemscope "
            "itemtype='https://schema.org/Question'><h1 itemprop='name'>Council votes on the harbour plan</h1>"
            "<p>Asked <time itemprop='dateCreated' datetime='2014-02-04T13:02:51Z'>12 years ago</time></p>"
            "<p>Why did the council vote on the harbour plan before the consultation closed?</p>"
            "<p>edited <span class='relativetime' title='2020-07-05 10:00:05Z'>Jul 5, 2020 at 10:00</span></p>"
            "<div itemprop='suggestedAnswer' itemscope itemtype='https://schema.org/Answer'>"
            "<time itemprop='dateCreated' datetime='2014-02-05T08:00:00Z'>answered Feb 5, 2014</time>"
            "<p>Because the harbour funds expire at the end of the financial year.</p></div></div></div>")
    art = extract(page(body), "https://qa.example.com/questions/123/harbour-plan")
    assert art.published == "2014-02-04T13:02:51+00:00"


def test_page_printing_the_next_day_keeps_the_publishers_local_day():
    # 21:50 in New York is the 12th in UTC: a page printing the 12th shows the same moment, not a later date
    head = "<meta property='article:published_time' content='2026-03-11T21:50:00-05:00'>"
    html = page(ARTICLE.format(date="<p class='date'>March 12, 2026</p>"), head=head, lang="en-US")
    assert extract(html, "https://news.example.com/harbour").published == "2026-03-11T21:50:00-05:00"
    # a UTC time carries no local day: the day the page prints stands
    head = "<meta property='article:published_time' content='2026-03-12T02:50:00Z'>"
    html = page(ARTICLE.format(date="<p class='date'>March 11, 2026</p>"), head=head, lang="en-US")
    assert extract(html, "https://news.example.com/harbour").published == "2026-03-11"


def _jsonld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def test_forum_thread_is_dated_by_its_jsonld_opening_post():
    # no article object: the DiscussionForumPosting is the page's subject; the reply times are not its date
    ld = _jsonld('{"@context":"https://schema.org","@type":"DiscussionForumPosting","headline":"Harbour plan?",'
                 '"author":{"@type":"Person","name":"portwatcher"},"datePublished":"2025-11-28T19:07:05Z"}')
    body = ("<h1>Council votes on the harbour plan</h1><p>12 answers / Last post: 01/12/2025 at 6:49 pm</p>"
            "<div class='post'><p>portwatcher</p><p>Does anyone know why the vote was moved forward?</p></div>"
            "<div class='post'><p>01/12/2025 18:49</p><p>Because the funds expire in March.</p></div>")
    art = extract(page(body, head=ld, lang="en-GB"), "https://forum.example.co.uk/t/harbour-plan")
    assert art.published == "2025-11-28T19:07:05+00:00"


def test_utc_instant_is_kept_as_the_page_prints_it():
    # the same instant: 23:25 UTC on the 18th is 04:25 on the 19th where the page is written
    ld = _jsonld('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Council votes on the harbour plan",'
                 '"datePublished":"2025-12-18T23:25:38Z"}')
    body = ("<h1>Council votes on the harbour plan</h1><p>Posted <time datetime='2025-12-19T04:25:38+05:00'>"
            "2 months ago</time></p><p>The council voted on Tuesday to approve the harbour plan.</p>")
    art = extract(page(body, head=ld), "https://news.example.com/harbour")
    assert art.published == "2025-12-19T04:25:38+05:00"


INTRO = "<p class='intro'>" + "The harbour plan has divided the town for years, and the vote was closer than expected. " * 8 + "</p>"


def test_lede_dateline_dates_the_story():
    # below a long standfirst, past where bylines sit: the first paragraph opens with the dateline
    body = ("<article><h1>Council votes on the harbour plan</h1>" + INTRO +
            "<p>Bern, 17.08.2007 - The council voted on Tuesday to approve the harbour plan after a long debate.</p>"
            "<p>Residents had asked for more time to study the proposal and its effect on fishing.</p></article>")
    assert extract(page(body, lang="de"), "https://news.example.ch/hafen").published == "2007-08-17"
    bracketed = body.replace("Bern, 17.08.2007 - ", "(21. November 2022) ")
    assert extract(page(bracketed, lang="de"), "https://news.example.ch/hafen").published == "2022-11-21"
    # a period the paragraph opens with, or a date inside a sentence, is no dateline
    period = body.replace("Bern, 17.08.2007 - ", "1/27/2026 - 3/24/2026: ")
    assert extract(page(period), "https://news.example.com/harbour").published is None
    sentence = body.replace("Bern, 17.08.2007 - The council", "On the evening of 17.08.2007 the council")
    assert extract(page(sentence, lang="de"), "https://news.example.ch/hafen").published is None


def test_two_digit_year_in_a_date_element_shows_the_structured_date():
    # a generic page showing no author: its unseen structured date would be dropped, but "14.11.24" shows it
    ld = _jsonld('{"@context":"https://schema.org","@type":"WebPage","name":"Harbour plan",'
                 '"datePublished":"2024-11-14T08:00:00Z"}')
    body = ("<article><span class='post-date'>14.11.24</span><h1>Council votes on the harbour plan</h1>"
            "<p>The council voted on Tuesday to approve the harbour plan after a long debate about costs.</p></article>")
    art = extract(page(body, head=ld), "https://blog.example.com/harbour", fetched="2026-01-01T00:00:00Z")
    assert art.published == "2024-11-14T08:00:00+00:00"


def test_a_reader_comment_date_is_not_the_page_date():
    comments = ("<div id='comment3111'><p class='name'>KnackigeKaelte</p><p class='stamp'>28.02.2018</p>"
                "<p>Vielen Dank, sehr informative Tipps!</p></div>")
    body = ("<div><h1>Council votes on the harbour plan</h1>" + INTRO + "<p>The council voted on Tuesday to approve"
            " the harbour plan after a long debate about costs.</p></div>" + comments)
    assert extract(page(body, lang="de"), "https://news.example.de/hafen").published is None


def test_a_date_inside_a_sentence_near_the_headline_is_an_event():
    body = ("<div><h1>Council votes on the harbour plan</h1><p>I sent the council a letter on May 12, 2006 asking"
            " why the harbour plan was delayed, and I am still waiting.</p></div>")
    assert extract(page(body), "https://www.example.com/letter.htm").published is None
    dated = body.replace("<p>I sent", "<p>May 12, 2006</p><p>I sent")  # the same date standing alone dates it
    assert extract(page(dated), "https://www.example.com/letter.htm").published == "2006-05-12"
