"""HTML for the demo site, in the several shapes real news sites use.

The variety is the point: extraction and article detection are only tested honestly if the
same kind of content arrives as JSON-LD (plain, ``@graph``, array), microdata, OpenGraph only,
a WordPress-style blog, a live blog or a paywalled teaser, wrapped in the usual boilerplate
(cookie banners, share bars, ads, newsletter boxes, related links, comments) that an extractor
must leave out. Links are root-relative so pages do not depend on the server's port.
"""

from __future__ import annotations

import json
import zlib
from html import escape
from urllib.parse import quote

from crawler.demo.stories import MISSING_ASSETS, SECTIONS, section_by_slug

SITE_NAME = "The Riverbend Courier"
SITE_TWITTER = "@RiverbendCourier"

# Boilerplate sentences: the manifest lists the ones on each page so tests can check that
# extraction left them out of the body.
COOKIE_TEXT = "We use cookies to improve your experience and to show you relevant advertising."
IE11_TEXT = "IE 11 is not supported. For an optimal experience visit our site on another browser."
AD_TEXT = "Advertisement"
NEWSLETTER_TEXT = "Sign up for the Courier Morning Briefing"
PAYWALL_TEXT = "Subscribe to keep reading"
SHARE_TEXT = "Share this story"
RELATED_TEXT = "Related stories"
COMMENTS_TEXT = "Join the conversation"

LABELS = {
    "en": {"by": "By", "photo": "Photo:", "ad": "Advertisement", "share": SHARE_TEXT,
           "related": RELATED_TEXT, "updated": "Updated", "published": "Published",
           "cookie": COOKIE_TEXT, "accept": "Accept all", "follow": "Follow {name} on Twitter",
           "newsletter": NEWSLETTER_TEXT, "comments": COMMENTS_TEXT},
    "de": {"by": "Von", "photo": "Foto:", "ad": "Anzeige", "share": "Artikel teilen",
           "related": "Mehr zum Thema", "updated": "Aktualisiert", "published": "Veröffentlicht",
           "cookie": "Wir verwenden Cookies, um Ihnen ein besseres Nutzungserlebnis zu bieten.",
           "accept": "Alle akzeptieren", "follow": "Folgen Sie {name} auf Twitter",
           "newsletter": "Jetzt den Courier-Newsletter abonnieren",
           "comments": "Diskutieren Sie mit"},
}


def e(text) -> str:
    return escape(str(text), quote=True)


# --- shared chrome -----------------------------------------------------------------------
def _head(title: str, extra: str = "", lang: str = "en", charset: str = "utf-8") -> str:
    if charset == "utf-8":
        meta = '<meta charset="utf-8">'
    else:  # old CMSes declare it the long way
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{meta}\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n"
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/feeds/rss.xml">\n'
        f'<link rel="alternate" type="application/atom+xml" title="{SITE_NAME} (Atom)" href="/feeds/atom.xml">\n'
        f"{extra}"
        "<style>body{font-family:Georgia,serif;max-width:60em;margin:auto;padding:0 1em;color:#222}"
        "a{color:#1a4d7a}.skip-link{position:absolute;left:-9999px}"
        ".masthead{border-bottom:3px double #222;margin-bottom:1em}"
        ".brand{display:block;font-size:2.4em;font-weight:bold;text-align:center;color:#222;text-decoration:none;padding:.3em}"
        ".nav{list-style:none;display:flex;gap:1.5em;justify-content:center;padding:0;font-family:sans-serif}"
        ".nav .active a{font-weight:bold}.ad{background:#eee;min-height:3em;margin:1em 0;font:11px sans-serif;color:#777}"
        ".kicker,.byline,.timestamps,.teaser-meta,.share-bar{font-family:sans-serif;font-size:.85em;color:#555}"
        ".dek{font-size:1.2em;color:#444}.teasers{list-style:none;padding:0}img{max-width:100%;height:auto}"
        "figure{margin:1em 0}figcaption{font:.8em sans-serif;color:#555}.credit{color:#888}"
        ".cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:.5em 1em}"
        ".site-footer{border-top:1px solid #ccc;margin-top:2em;font:.8em sans-serif}</style>\n"
        "</head>\n"
    )


def _masthead(sections, current: str | None = None) -> str:
    active = ' class="active"'
    items = "".join(
        f'<li{active if s["slug"] == current else ""}><a href="/{s["slug"]}/">{e(s["name"])}</a></li>'
        for s in sections
    )
    return (
        '<a class="skip-link" href="#main">Skip to content</a>\n'
        '<header class="masthead">\n'
        f'  <a class="brand" href="/">{SITE_NAME}</a>\n'
        f'  <nav aria-label="Sections"><ul class="nav">{items}</ul></nav>\n'
        "</header>\n"
    )


def _footer() -> str:
    return (
        '<footer class="site-footer">\n'
        '  <ul class="footer-links">\n'
        '    <li><a href="/feeds/rss.xml">RSS</a></li>\n'
        '    <li><a href="/feeds/atom.xml">Atom</a></li>\n'
        '    <li><a href="/static/docs/courier-ethics-policy.pdf">Ethics policy (PDF)</a></li>\n'
        '    <li><a href="https://twitter.com/RiverbendCourier">Twitter</a></li>\n'
        '    <li><a href="mailto:tips@riverbend-courier.example">Send us a tip</a></li>\n'
        "  </ul>\n"
        f"  <p>&copy; 2026 {SITE_NAME}. All rights reserved. A fictional newspaper.</p>\n"
        "</footer>\n"
    )


def _cookie_banner(lang: str = "en") -> str:
    lab = LABELS[lang]
    return (
        '<div id="cookie-consent" class="cookie-banner" role="dialog">\n'
        f"  <p>{e(lab['cookie'])} <a href=\"#privacy\">Privacy</a></p>\n"
        f'  <button type="button" class="accept">{e(lab["accept"])}</button>\n'
        "</div>\n"
    )


def _ie11_banner() -> str:
    return f'<div class="browser-warning" role="alert">{e(IE11_TEXT)}</div>\n'


def _ad(slot: str, lang: str = "en") -> str:
    return (
        f'<aside class="ad ad-{slot}" aria-label="advertisement"><span class="ad-label">{e(LABELS[lang]["ad"])}</span>'
        f'<div id="gpt-{slot}" data-ad-slot="/1234/riverbend/{slot}"></div></aside>\n'
    )


def _share_bar(art, lang: str = "en") -> str:
    title = e(quote(art["headline"]))
    return (
        f'<div class="share-bar"><span>{e(LABELS[lang]["share"])}</span>\n'
        f'  <a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={e(quote(art["path"], safe=""))}">Share on Facebook</a>\n'
        f'  <a class="share-twitter" href="https://twitter.com/intent/tweet?text={title}">Share on X</a>\n'
        f'  <a class="share-email" href="mailto:?subject={title}">Email</a>\n'
        "</div>\n"
    )


def _follow(name: str, handle: str, lang: str = "en") -> str:
    text = LABELS[lang]["follow"].format(name=name)
    return f'<p class="author-promo"><a href="https://twitter.com/{e(handle.lstrip("@"))}">{e(text)}</a></p>\n'


def _newsletter(lang: str = "en") -> str:
    return (
        '<section class="newsletter-signup">\n'
        f"  <h2>{e(LABELS[lang]['newsletter'])}</h2>\n"
        "  <p>The news that matters in Riverbend, in your inbox every weekday at 6 a.m.</p>\n"
        '  <form action="#newsletter" method="post"><input type="email" name="email" placeholder="you@example.com">'
        '<button type="submit">Sign up</button></form>\n'
        "</section>\n"
    )


def _related(art, by_path, lang: str = "en") -> str:
    items = []
    for path in art.get("related", []):
        other = by_path.get(path)
        title = other["teaser"] if other else art.get("related_titles", {}).get(path, "More from the Courier")
        items.append(f'<li><a href="{e(path)}">{e(title)}</a></li>')
    if not items:
        return ""
    return (f'<aside class="related-links"><h2>{e(LABELS[lang]["related"])}</h2>\n<ul>\n'
            + "\n".join(items) + "\n</ul>\n</aside>\n")


def _comments(art, lang: str = "en") -> str:
    rows = "".join(
        f'<li class="comment"><p class="comment-author">{e(who)}</p><p class="comment-text">{e(text)}</p></li>\n'
        for who, text in art.get("comments", [])
    )
    return (f'<section id="comments" class="comments"><h2>{e(LABELS[lang]["comments"])}</h2>\n'
            f'<ol class="comment-list">\n{rows}</ol>\n'
            '<p class="comment-policy">Comments are moderated. Please keep it civil.</p></section>\n')


# --- article body ------------------------------------------------------------------------
def figure_html(fig, style: str = "courier", lang: str = "en") -> str:
    src, alt, caption, credit = fig
    if style == "microdata":
        return (
            '<figure itemprop="image" itemscope itemtype="https://schema.org/ImageObject">\n'
            f'  <img itemprop="url" src="{e(src)}" alt="{e(alt)}" width="640" height="360">\n'
            f'  <figcaption><span itemprop="caption">{e(caption)}</span> '
            f'<span class="credit" itemprop="creditText">{e(credit)}</span></figcaption>\n'
            "</figure>\n"
        )
    if style == "blog":
        return (
            '<figure class="wp-block-image size-large">'
            f'<img decoding="async" src="{e(src)}" alt="{e(alt)}" class="wp-image-88">'
            f'<figcaption class="wp-element-caption">{e(caption)} <span class="photo-credit">({e(credit)})</span>'
            "</figcaption></figure>\n"
        )
    label = LABELS[lang]["photo"]
    return (
        '<figure class="media">\n'
        f'  <img src="{e(src)}" alt="{e(alt)}" loading="lazy" width="640" height="360">\n'
        f'  <figcaption><span class="caption">{e(caption)}</span> '
        f'<span class="credit">{e(label)} {e(credit)}</span></figcaption>\n'
        "</figure>\n"
    )


def body_html(art, style: str = "courier", lang: str = "en", ad_after: int | None = None) -> str:
    """Render the body mini-markup: blocks separated by blank lines.

    ``## `` subheading, ``> `` blockquote (``-- `` line: attribution), ``- `` bullets,
    ``1. `` numbered list, ``[figure N]`` the article's Nth figure, ``[link PATH|TEXT]`` a link
    line, anything else a paragraph.
    """
    out = []
    paragraphs = 0
    for block in art["body"]:
        if block.startswith("## "):
            out.append(f"<h2>{e(block[3:])}</h2>\n")
        elif block.startswith("> "):
            text, _, cite = block[2:].partition("\n-- ")
            cite_html = f"<footer>&mdash; <cite>{e(cite)}</cite></footer>" if cite else ""
            out.append(f"<blockquote><p>{e(text)}</p>{cite_html}</blockquote>\n")
        elif block.startswith("- "):
            items = "".join(f"<li>{e(line[2:])}</li>" for line in block.split("\n"))
            out.append(f"<ul>{items}</ul>\n")
        elif block.startswith("1. "):
            items = "".join(f"<li>{e(line.split('. ', 1)[1])}</li>" for line in block.split("\n"))
            out.append(f"<ol>{items}</ol>\n")
        elif block.startswith("[link "):
            href, _, text = block[6:-1].partition("|")
            out.append(f'<p class="more"><a href="{e(href)}">{e(text)}</a></p>\n')
        elif block.startswith("[figure "):
            out.append(figure_html(art["figures"][int(block[8:-1])], style, lang))
        else:
            attr = ' class="correction"' if block.startswith(("Correction:", "Korrektur:")) else ""
            out.append(f"<p{attr}>{e(block)}</p>\n")
            paragraphs += 1
            if ad_after and paragraphs == ad_after:
                out.append(_ad("inline", lang))
    return "".join(out)


def _person(name):
    return {"@type": "Person", "name": name}


def _publisher():
    return {"@type": "NewsMediaOrganization", "name": SITE_NAME,
            "logo": {"@type": "ImageObject", "url": "/static/img/courier-logo.png"}}


def _news_article(art, section_name):
    data = {
        "@type": "NewsArticle",
        "headline": art["headline"],
        "description": art["description"],
        "datePublished": art["published"],
        "dateModified": art.get("modified", art["published"]),
        "author": [_person(n) for n in art["authors"]],
        "publisher": _publisher(),
        "articleSection": section_name,
        "inLanguage": art.get("lang", "en"),
        "mainEntityOfPage": art["path"],
        "url": art["path"],
    }
    if art.get("figures"):
        data["image"] = [art["figures"][0][0]]
    if art.get("tags"):
        data["keywords"] = art["tags"]
    return data


def _jsonld_script(data) -> str:
    return ('<script type="application/ld+json">\n'
            + json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
            + "\n</script>\n")


def _structured_head(art, section_name) -> str:
    """The ``<head>`` metadata for the article's ``meta`` shape."""
    shape = art.get("meta", "jsonld")
    parts = []
    desc = f'<meta name="description" content="{e(art["description"])}">\n'
    if shape != "microdata":
        parts.append(desc)
        parts.append(f'<link rel="canonical" href="{e(art["path"])}">\n')
    if shape in ("jsonld", "graph", "array", "org-author", "opengraph", "paywall", "liveblog", "blog"):
        kind = "article"
        parts.append(
            f'<meta property="og:site_name" content="{SITE_NAME}">\n'
            f'<meta property="og:type" content="{kind}">\n'
            f'<meta property="og:title" content="{e(art.get("og_title", art["headline"]))}">\n'
            f'<meta property="og:description" content="{e(art["description"])}">\n'
            f'<meta property="og:url" content="{e(art["path"])}">\n'
        )
        if art.get("figures"):
            parts.append(f'<meta property="og:image" content="{e(art["figures"][0][0])}">\n')
        parts.append(
            f'<meta property="article:published_time" content="{e(art["published"])}">\n'
            f'<meta property="article:modified_time" content="{e(art.get("modified", art["published"]))}">\n'
            f'<meta property="article:section" content="{e(section_name)}">\n'
        )
        for tag in art.get("tags", []):
            parts.append(f'<meta property="article:tag" content="{e(tag)}">\n')
        parts.append(f'<meta name="twitter:card" content="summary_large_image">\n'
                     f'<meta name="twitter:site" content="{SITE_TWITTER}">\n')
    if shape == "opengraph":
        parts.append(f'<meta name="author" content="{e(", ".join(art["authors"]))}">\n')
        parts.append(f'<meta name="parsely-pub-date" content="{e(art["published"])}">\n')
    data = _news_article(art, section_name)
    if shape == "jsonld":
        parts.append(_jsonld_script({"@context": "https://schema.org", **data}))
    elif shape == "graph":
        data["@id"] = art["path"] + "#article"
        data["isPartOf"] = {"@id": art["path"] + "#webpage"}
        data["publisher"] = {"@id": "/#organization"}
        graph = [
            {"@type": "WebPage", "@id": art["path"] + "#webpage", "url": art["path"], "name": art["headline"],
             "breadcrumb": {"@id": art["path"] + "#breadcrumb"}},
            {"@type": "NewsMediaOrganization", "@id": "/#organization", "name": SITE_NAME,
             "logo": {"@type": "ImageObject", "url": "/static/img/courier-logo.png"}},
            {"@type": "BreadcrumbList", "@id": art["path"] + "#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": "/"},
                {"@type": "ListItem", "position": 2, "name": section_name, "item": f"/{art['section']}/"}]},
            data,
        ]
        parts.append(_jsonld_script({"@context": "https://schema.org", "@graph": graph}))
    elif shape == "array":
        crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": "/"},
            {"@type": "ListItem", "position": 2, "name": section_name, "item": f"/{art['section']}/"}]}
        parts.append(_jsonld_script([{"@context": "https://schema.org", **data}, crumbs]))
    elif shape == "org-author":
        data["author"] = {"@type": "Organization", "name": f"{SITE_NAME} Staff"}
        parts.append(_jsonld_script({"@context": "https://schema.org", **data}))
    elif shape == "paywall":
        data["isAccessibleForFree"] = False
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywalled"}
        parts.append(_jsonld_script({"@context": "https://schema.org", **data}))
    elif shape == "liveblog":
        data["@type"] = "LiveBlogPosting"
        data["coverageStartTime"] = art["published"]
        data["liveBlogUpdate"] = [
            {"@type": "BlogPosting", "headline": u[1], "datePublished": u[0], "articleBody": u[2]}
            for u in art["updates"]
        ]
        parts.append(_jsonld_script({"@context": "https://schema.org", **data}))
    elif shape == "blog":
        data["@type"] = "BlogPosting"
        parts.append(_jsonld_script({"@context": "https://schema.org", **data}))
    return "".join(parts)


def _time(iso: str, label: str, cls: str) -> str:
    shown = iso[:10] + " " + iso[11:16]
    return f'<time class="{cls}" datetime="{e(iso)}">{e(label)} {e(shown)}</time>'


# --- article skins -----------------------------------------------------------------------
def article(art, all_articles) -> str:
    by_path = {a["path"]: a for a in all_articles}
    section = section_by_slug(art["section"])
    skin = art.get("skin", "courier")
    lang = art.get("lang", "en")
    head = _head(f"{art['headline']} | {SITE_NAME}", _structured_head(art, section["name"]), lang,
                 art.get("charset", "utf-8"))
    chrome = set(art.get("chrome", ()))
    top = ""
    if "ie11" in chrome:
        top += _ie11_banner()
    top += _masthead(SECTIONS, art["section"])
    if "ads" in chrome:
        top += _ad("leaderboard", lang)
    bottom = ""
    if "newsletter" in chrome:
        bottom += _newsletter(lang)
    bottom += _related(art, by_path, lang)
    if "comments" in chrome:
        bottom += _comments(art, lang)
    bottom += _footer()
    if "cookie" in chrome:
        bottom += _cookie_banner(lang)
    render = {"courier": _courier, "blog": _blog, "live": _live, "microdata": _microdata}[skin]
    main = render(art, section, chrome, lang)
    return (f"{head}<body class=\"article {e(art['section'])}\">\n{top}"
            f'<main id="main">\n{main}</main>\n{bottom}</body>\n</html>\n')


def _byline_html(art, lang) -> str:
    names = art.get("byline_names", art["authors"])
    links = " and ".join(
        f'<span class="author-name">{e(n)}</span>' for n in names
    )
    role = f' <span class="author-role">{e(art["byline_role"])}</span>' if art.get("byline_role") else ""
    return f'<p class="byline">{e(LABELS[lang]["by"])} {links}{role}</p>'


def _courier(art, section, chrome, lang) -> str:
    lab = LABELS[lang]
    parts = [f'<article class="story">\n<header class="story-header">\n'
             f'<p class="kicker"><a href="/{section["slug"]}/">{e(section["name"])}</a></p>\n'
             f'<h1 class="headline">{e(art["headline"])}</h1>\n'
             f'<p class="dek">{e(art["description"])}</p>\n'
             f'{_byline_html(art, lang)}\n'
             f'<div class="timestamps">{_time(art["published"], lab["published"], "published")}']
    if art.get("modified") and art["modified"] != art["published"]:
        parts.append(" " + _time(art["modified"], lab["updated"], "updated"))
    parts.append("</div>\n</header>\n")
    if "share" in chrome:
        parts.append(_share_bar(art, lang))
    body = body_html(art, "courier", lang, ad_after=3 if "ads" in chrome else None)
    if "paywall" in chrome:
        parts.append(f'<div class="story-body paywalled">\n{body}</div>\n'
                     '<div class="paywall-prompt">\n'
                     f"<h2>{e(PAYWALL_TEXT)}</h2>\n"
                     "<p>You have read all of your free articles this month. Subscribers get unlimited "
                     "access to local reporting for $1 a week.</p>\n"
                     '<a class="subscribe-button" href="#subscribe">Subscribe now</a></div>\n')
    else:
        parts.append(f'<div class="story-body">\n{body}</div>\n')
    if "follow" in chrome:
        parts.append(_follow(art["authors"][0], art.get("twitter", SITE_TWITTER), lang))
    if "tags" in art:
        parts.append('<ul class="tags">' + "".join(f"<li>{e(t)}</li>" for t in art["tags"]) + "</ul>\n")
    parts.append("</article>\n")
    if "ads" in chrome:
        parts.append(_ad("sidebar", lang))
    return "".join(parts)


def _blog(art, section, chrome, lang) -> str:
    author = art["authors"][0]
    tags = "".join(f'<a href="#tag-{e(t)}" rel="tag">{e(t)}</a> ' for t in art.get("tags", []))
    return (
        f'<div id="primary" class="content-area">\n'
        f'<article id="post-{zlib.crc32(art["path"].encode()) % 9000 + 1000}" class="post type-post status-publish hentry">\n'
        f'<header class="entry-header">\n<h1 class="entry-title">{e(art["headline"])}</h1>\n'
        f'<div class="entry-meta"><span class="posted-on">Posted on '
        f'<time class="entry-date published" datetime="{e(art["published"])}">{e(art["published"][:10])}</time></span> '
        f'<span class="byline">by <span class="author vcard"><span class="fn n">{e(author)}</span></span></span>'
        f"</div>\n</header>\n"
        f'<div class="entry-content">\n{body_html(art, "blog", lang)}</div>\n'
        f'<footer class="entry-footer"><span class="cat-links">Posted in <a href="/{section["slug"]}/" rel="category tag">'
        f'{e(section["name"])}</a></span> <span class="tags-links">Tagged {tags}</span></footer>\n'
        "</article>\n</div>\n"
        '<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries">'
        "<h2 class=\"widget-title\">About this blog</h2><p>Notes from the Courier's culture desk, "
        "posted between editions.</p></section></aside>\n"
    )


def _live(art, section, chrome, lang) -> str:
    updates = []
    for i, (when, title, text) in enumerate(art["updates"]):
        updates.append(
            f'<article class="live-update" id="update-{len(art["updates"]) - i}">\n'
            f'<time datetime="{e(when)}">{e(when[11:16])}</time>\n'
            f"<h2>{e(title)}</h2>\n<p>{e(text)}</p>\n</article>\n"
        )
    return (
        '<div class="liveblog">\n<header>\n<span class="live-badge">LIVE</span>\n'
        f'<p class="kicker"><a href="/{section["slug"]}/">{e(section["name"])}</a></p>\n'
        f'<h1 class="headline">{e(art["headline"])}</h1>\n'
        f'<p class="dek">{e(art["description"])}</p>\n{_byline_html(art, lang)}\n'
        f'<p class="last-updated">{_time(art.get("modified", art["published"]), "Last updated", "updated")}</p>\n'
        "</header>\n"
        + (_share_bar(art, lang) if "share" in chrome else "")
        + f'<section class="key-points"><h2>Key points</h2>\n{body_html(art, "courier", lang)}</section>\n'
        + '<div class="live-feed">\n' + "".join(updates) + "</div>\n</div>\n"
    )


def _microdata(art, section, chrome, lang) -> str:
    author = art["authors"][0]
    return (
        '<div class="article-wrap" itemscope itemtype="https://schema.org/NewsArticle">\n'
        f'<meta itemprop="mainEntityOfPage" content="{e(art["path"])}">\n'
        f'<div class="section-label"><a href="/{section["slug"]}/"><span itemprop="articleSection">{e(section["name"])}</span></a></div>\n'
        f'<h1 itemprop="headline">{e(art["headline"])}</h1>\n'
        f'<div class="abstract" itemprop="description">{e(art["description"])}</div>\n'
        f'<div class="meta-line"><span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'By <span itemprop="name">{e(author)}</span></span> | '
        f'<time itemprop="datePublished" datetime="{e(art["published"])}">{e(art["published"][:10])}</time>'
        f'<meta itemprop="dateModified" content="{e(art.get("modified", art["published"]))}"></div>\n'
        f'<div itemprop="publisher" itemscope itemtype="https://schema.org/Organization">'
        f'<meta itemprop="name" content="{SITE_NAME}"></div>\n'
        + (_share_bar(art, lang) if "share" in chrome else "")
        + f'<div class="text" itemprop="articleBody">\n{body_html(art, "microdata", lang)}</div>\n'
        "</div>\n"
    )


# --- listings and other pages ------------------------------------------------------------
def _teaser(art, with_dek: bool = True) -> str:
    byline = ", ".join(art.get("byline_names", art["authors"]))
    dek = f'<p class="teaser-dek">{e(art["description"])}</p>' if with_dek else ""
    return (f'<li class="teaser"><h3><a href="{e(art["path"])}">{e(art["teaser"])}</a></h3>{dek}'
            f'<p class="teaser-meta">{e(byline)} &middot; <time datetime="{e(art["published"])}">'
            f'{e(art["published"][:10])}</time></p></li>\n')


def home(all_articles, most_read_links) -> str:
    lead = all_articles[0]
    blocks = []
    for section in SECTIONS:
        listed = [a for a in all_articles if a["section"] == section["slug"]][:4]
        blocks.append(
            f'<section class="section-block"><h2><a href="/{section["slug"]}/">{e(section["name"])}</a></h2>\n'
            f'<ul class="teasers">\n{"".join(_teaser(a, False) for a in listed)}</ul></section>\n'
        )
    most_read = "".join(f'<li><a href="{e(p)}">{e(t)}</a></li>' for p, t in most_read_links)
    lead_fig = figure_html(lead["figures"][0]) if lead.get("figures") else ""
    return (
        _head(f"{SITE_NAME} | Local news for Riverbend and the valley",
              '<meta name="description" content="Local news, business, culture and sport from Riverbend.">\n'
              f'<meta property="og:type" content="website">\n<meta property="og:site_name" content="{SITE_NAME}">\n'
              + _jsonld_script({"@context": "https://schema.org", "@type": "WebSite", "name": SITE_NAME, "url": "/"}))
        + '<body class="home">\n' + _masthead(SECTIONS) + _ad("leaderboard")
        + '<main id="main">\n<section class="top-story">\n'
        f'<h2 class="lead-headline"><a href="{e(lead["path"])}">{e(lead["teaser"])}</a></h2>\n{lead_fig}'
        f'<p>{e(lead["description"])}</p>\n</section>\n'
        + "".join(blocks)
        + f'<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>\n'
        + f'<aside class="partner"><img src="{MISSING_ASSETS[0]}" alt="Our partner" width="120" height="40"></aside>\n'
        + _newsletter() + "</main>\n" + _footer() + _cookie_banner() + "</body>\n</html>\n"
    )


def section_pages(section, listed, per_page: int | None = None) -> list[str]:
    """One page per ``section["per_page"]`` articles; more than one page means ``?page=N`` links."""
    per_page = per_page or section.get("per_page", 50)
    chunks = [listed[i:i + per_page] for i in range(0, len(listed), per_page)] or [[]]
    out = []
    for n, chunk in enumerate(chunks, start=1):
        nav = []
        if n > 1:
            prev = f"/{section['slug']}/" + (f"?page={n - 1}" if n > 2 else "")
            nav.append(f'<a rel="prev" href="{e(prev)}">Newer stories</a>')
        if n < len(chunks):
            nav.append(f'<a rel="next" href="/{section["slug"]}/?page={n + 1}">Older stories</a>')
        title = section["name"] + (f" (page {n})" if n > 1 else "")
        out.append(
            _head(f"{title} | {SITE_NAME}",
                  f'<meta name="description" content="{e(section["description"])}">\n'
                  + (f'<link rel="next" href="/{section["slug"]}/?page={n + 1}">\n' if n < len(chunks) else ""))
            + f'<body class="section {e(section["slug"])}">\n' + _masthead(SECTIONS, section["slug"])
            + '<main id="main">\n'
            f'<h1 class="section-title">{e(title)}</h1>\n<p class="section-intro">{e(section["description"])}</p>\n'
            f'<ul class="teasers">\n{"".join(_teaser(a) for a in chunk)}</ul>\n'
            f'<nav class="pagination">{" ".join(nav)}</nav>\n'
            + _ad("sidebar") + "</main>\n" + _footer() + "</body>\n</html>\n"
        )
    return out


def moved(new_path: str) -> str:
    return (f'<!DOCTYPE html>\n<html><head><title>301 Moved Permanently</title></head>'
            f'<body><h1>Moved Permanently</h1><p>This story has moved <a href="{e(new_path)}">here</a>.</p>'
            "</body></html>\n")


def not_found() -> str:
    return (_head(f"Page not found | {SITE_NAME}", '<meta name="robots" content="noindex">\n')
            + '<body class="error-404">\n' + _masthead(SECTIONS)
            + '<main id="main"><h1>Sorry, we couldn\'t find that page</h1>\n'
            "<p>The story may have been moved or removed. Try the <a href=\"/\">front page</a>.</p></main>\n"
            + _footer() + "</body>\n</html>\n")


def private_draft() -> str:
    return (_head(f"DRAFT: Embargoed story | {SITE_NAME}", '<meta name="robots" content="noindex, nofollow">\n')
            + '<body class="draft">\n<main id="main"><p class="draft-warning">DRAFT: not for publication.</p>\n'
            "<h1>Embargoed: council budget leak</h1>\n"
            "<p>This page is an unpublished draft. robots.txt disallows it, so a polite crawler never fetches it; "
            "if you are reading it in an archive, the crawler ignored robots.txt.</p></main>\n</body>\n</html>\n")


def manifest_info(art: dict) -> dict:
    """What a rendered article shows, for the manifest: its metadata and the boilerplate sentences
    tests check extraction leaves out (the texts above, so they live with the markup)."""
    chrome = set(art.get("chrome", ()))
    boilerplate = [LABELS[art.get("lang", "en")]["related"]] if art.get("related") else []
    for flag, text in (("cookie", LABELS[art.get("lang", "en")]["cookie"]), ("ie11", IE11_TEXT),
                       ("ads", LABELS[art.get("lang", "en")]["ad"]),
                       ("newsletter", LABELS[art.get("lang", "en")]["newsletter"]),
                       ("paywall", PAYWALL_TEXT), ("comments", LABELS[art.get("lang", "en")]["comments"]),
                       ("share", LABELS[art.get("lang", "en")]["share"])):
        if flag in chrome:
            boilerplate.append(text)
    first = next((b for b in art["body"] if not b.startswith(("#", ">", "-", "1.", "["))), None)
    return {
        "headline": art["headline"],
        "section": art["section"],
        "section_name": section_by_slug(art["section"])["name"],
        "published": art["published"],
        "modified": art["modified"],
        "authors": art.get("byline_names", art["authors"]),
        "language": art.get("lang", "en"),
        "shape": f"{art.get('skin', 'courier')}/{art.get('meta', 'jsonld')}",
        "first_paragraph": first,
        "boilerplate": boilerplate,
        "in_news_sitemap": art.get("in_news_sitemap", True),
        "in_feeds": art.get("in_feeds", True),
        "edited": art["edited"],
    }
