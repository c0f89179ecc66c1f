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


def _thread(posts: str, head: str = "") -> str:
    return (f"<html lang='en'><head><title>Which tent for two?</title>{head}</head><body>"
            "<div class='p-body'><h1>Which tent for two?</h1>"
            f"<div class='block-body'>{posts}</div></div></body></html>")


def _post(handle: str, title: str, place: str, text: str, starter: bool = False) -> str:
    cls = "message message-threadStarterPost" if starter else "message"
    return (f"<article class='{cls}' data-author='{handle}'><section class='message-user'>"
            f"<h4 class='message-name'><a class='username' href='/members/{handle}'>{handle}</a></h4>"
            f"<h5 class='userTitle'>{title}</h5><dl><dt>Location</dt><dd>{place}</dd></dl></section>"
            f"<div class='message-content'><p>{text}</p></div></article>")


def test_forum_thread_is_credited_to_the_member_who_opened_it():
    """Screen names in the posts' author slots: the first post's is the author, not the repliers'
    (whose names look like persons) nor the member titles and places printed beside them."""
    posts = (_post("trailhead42", "Well-known member", "Cape Coral", "Looking for a light tent for two people. " * 5)
             + _post("Mara Quist", "Veteran", "Bergen", "The dome kind is fine for that. " * 3)
             + _post("Olaf Brenner", "Moderator", "Oslo", "Agreed, and check the weight. " * 3))
    assert extract(_thread(posts), "https://forum.example.org/threads/tent.1/").authors == ["trailhead42"]


def test_thread_starter_post_wins_over_a_featured_reply_above_it():
    posts = (_post("Mara Quist", "Veteran", "Bergen", "Best answer: the dome kind is fine. " * 3)
             + _post("trailhead42", "New member", "Leeds", "Looking for a light tent for two people. " * 5, starter=True))
    assert extract(_thread(posts), "https://forum.example.org/threads/tent.1/").authors == ["trailhead42"]


def test_question_page_is_credited_to_the_asker_from_structured_data():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "QAPage",'
          ' "mainEntity": {"@type": "Question", "name": "Which tent for two?", "author":'
          ' {"@type": "Person", "name": "hayley.p"}, "acceptedAnswer": {"@type": "Answer",'
          ' "author": {"@type": "Person", "name": "Olaf Brenner"}}}}</script>')
    posts = ("<div class='topic-body'><p>" + "Looking for a light tent for two people. " * 5 + "</p></div>"
             "<div class='topic-body'><span class='creator'>Olaf Brenner</span><p>Check the weight.</p></div>")
    assert extract(_thread(posts, ld), "https://forum.example.org/t/tent/1").authors == ["hayley.p"]


def test_co_authors_in_author_slots_are_not_read_as_a_thread():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
          ' "headline": "Harbour plan approved", "author": [{"@type": "Person", "name": "Ada Moreno"},'
          ' {"@type": "Person", "name": "Felix Wong"}]}</script>')
    html = _page("<p class='byline'>By <span itemprop='author'>Ada Moreno</span> and "
                 "<span itemprop='author'>Felix Wong</span></p>", head=ld)
    assert extract(html, "https://example.org/news/harbour").authors == ["Ada Moreno", "Felix Wong"]


def test_labels_in_author_slots_are_not_screen_names():
    posts = (_post("Topic Author", "", "", "Looking for a light tent for two people. " * 5)
             + "<div data-author='Watch Live'></div><div data-author='Sun Dec'></div>")
    assert extract(_thread(posts), "https://forum.example.org/threads/tent.1/").authors == []


def test_image_credit_marked_as_author_is_not_the_byline():
    """``itemprop=author`` on a photo credit names the photographer: the article's author slot below wins."""
    html = _page("<figure><img src='/harbour.jpg' alt=''><span class='credit' itemprop='author'>(Image: "
                 "Tomas Berger)</span></figure><div itemprop='author' itemscope itemtype='https://schema.org/Person'>"
                 "<span itemprop='name'>Nora Lindqvist</span></div>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Nora Lindqvist"]


def test_two_word_names_ending_in_a_month_keep_the_surname():
    html = _page("<p class='byline'>Written By: Tom May</p>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Tom May"]


def test_author_box_heading_above_a_long_bio_is_the_author():
    bio = "Lena Vogt writes about ports, shipping and the people who work there. " * 5
    html = _page("", f"<div class='blog_author-box'><div class='name'>Lena Vogt</div><div>{bio}</div></div>")
    assert extract(html, "https://example.org/blog/harbour").authors == ["Lena Vogt"]


def test_byline_inside_a_layout_wrapper_named_sidebar_is_kept():
    html = ("<html><head><title>Harbour plan approved</title></head><body>"
            "<div class='content-sidebar-wrap'><main><h1>Harbour plan approved</h1>"
            "<p class='byline'>By Nora Lindqvist</p>" + "<p>The council met on Tuesday to discuss the plan. </p>" * 8
            + "</main><div class='sidebar'><p class='byline'>By Olaf Brenner</p></div></div></body></html>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Nora Lindqvist"]


def test_a_role_printed_beside_the_name_element_is_not_part_of_the_name():
    html = _page("<p class='byline'>By <span class='author-name'>Tessa Lindqvist</span> "
                 "<span class='author-role'>Community reporter</span></p>")
    art = extract(html, "https://example.org/news/harbour")
    assert art.authors == ["Tessa Lindqvist"]
    two = _page("<p class='byline'>By <span class='byline__name'>Tessa Lindqvist</span> and "
                "<span class='byline__name'>Omar Haddad</span> <span class='byline__role'>Political desk</span></p>")
    assert extract(two, "https://example.org/news/harbour").authors == ["Tessa Lindqvist", "Omar Haddad"]


def _jsonld_author(author: str, publisher: str = "Harbour Herald") -> str:
    return ("<script type='application/ld+json'>{\"@context\": \"https://schema.org\", \"@type\": \"NewsArticle\","
            f" \"headline\": \"Harbour plan approved\", \"author\": {author},"
            f" \"publisher\": {{\"@type\": \"NewsMediaOrganization\", \"name\": \"{publisher}\"}}}}</script>")


def test_an_organisation_the_structured_data_names_is_credited_when_no_person_is():
    head = _jsonld_author('{"@type": "Organization", "name": "Harbour Trust Press Office"}')
    art = extract(_page("", head=head), "https://example.org/news/harbour")
    assert art.authors == ["Harbour Trust Press Office"]


def test_the_publication_named_as_author_only_in_structured_data_is_not_credited():
    head = _jsonld_author('{"@type": "Organization", "name": "Harbour Herald"}')
    assert extract(_page("", head=head), "https://example.org/news/harbour").authors == []


def test_the_publication_credited_in_a_visible_byline_is_the_author():
    head = _jsonld_author('{"@type": "Organization", "name": "Harbour Herald"}')
    art = extract(_page("<p class='byline'>Von Harbour Herald</p>", head=head), "https://example.org/news/harbour")
    assert art.authors == ["Harbour Herald"]


def test_an_organisation_in_structured_data_gives_way_to_a_person_byline():
    head = _jsonld_author('{"@type": "Organization", "name": "Harbour Trust Press Office"}')
    art = extract(_page("<p class='byline'>By Ada Moreno</p>", head=head), "https://example.org/news/harbour")
    assert art.authors == ["Ada Moreno"]


def test_a_site_account_typed_person_in_structured_data_is_not_credited():
    head = _jsonld_author('{"@type": "Person", "name": "webteam_2"}')
    assert extract(_page("", head=head), "https://example.org/news/harbour").authors == []


def test_a_byline_label_in_its_own_element_takes_the_name_after_it():
    html = _page("<div class='meta-line'><span class='kicker'>Harbour</span> <span class='sr-only'>| By </span>"
                 "<span>Ada Moreno</span> | <time>4 March 2026</time></div>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Ada Moreno"]


def test_a_label_then_the_name_as_text_after_it():
    html = _page("<div class='info'><b>Von:</b><br><br>Tomas Berger</div>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Tomas Berger"]


def test_a_line_of_labelled_fields_gives_the_author_field_only():
    html = _page("", "<p>Autor: Klara Wendt Tags: Hafen, Stadtrat, Verkehr, Planung, Bürgerversammlung, "
                     "Abstimmung, Hafenbecken, Kaimauer, Uferweg</p>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Klara Wendt"]


def test_an_illustrator_credited_after_the_writer_is_not_an_author():
    html = _page("<p><em>Text von Klara Wendt &nbsp; Illustration von Jonas Amrein</em></p>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Klara Wendt"]


def test_a_desk_in_capitals_after_the_name_is_not_an_author():
    html = _page("<p class='author'>von Klara Wendt, HAFEN RUNDSCHAU</p>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Klara Wendt"]


def test_an_author_field_giving_the_sites_own_domain_is_the_publisher():
    head = "<meta name='author' content='Harbour Broadcasting (www.example.org)'>"
    html = _page("<ul><li><strong>Author</strong> Tomas Berger</li></ul>", head=head)
    assert extract(html, "https://www.example.org/news/harbour").authors == ["Tomas Berger"]


def test_a_publication_title_in_the_author_field_gives_way_to_the_byline():
    head = "<meta name='author' content='Die Hafenzeitung'>"
    html = _page("<div class='byline'>Klara Wendt</div>", head=head)
    assert extract(html, "https://example.org/news/harbour").authors == ["Klara Wendt"]


def test_a_byline_inside_a_layout_that_has_a_sidebar_is_read():
    paragraph = "<p>" + "The council met on Tuesday to discuss the new harbour plan in detail. " * 6 + "</p>"
    html = ("<html lang='de'><head><title>Harbour plan approved</title></head><body>"
            "<header><h1>Harbour plan approved</h1></header>"
            "<div class='main-content has-double-sidebar'><div class='article-content'>"
            f"<h5><em>Von Klara Wendt</em></h5>{paragraph}{paragraph}</div>"
            "<div class='sidebar'><p>Von Jonas Amrein</p></div></div></body></html>")
    assert extract(html, "https://example.org/news/harbour").authors == ["Klara Wendt"]
