"""Authors and the printed byline: structured data cross-checked against the visible byline.

JSON-LD and meta tags often name an organisation or a CMS account; the visible byline names the
people. Persons from structured data win when the page confirms them or shows nobody else; a
visible byline wins over an organisation. News agencies count beside persons. With no person at
all, the organisation or handle the page credits is the author, but only when a visible byline
shows it (an author field alone usually names the site's operator), and the publication's own
name is its publisher, not an author. A discussion (forum thread, Q&A page) is credited to whoever
opened it, by the screen name its author slot shows: the repliers further down are not its authors.
Name cleaning lives in ``people``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract import meta_dom as dom
from crawler.extract import people
from crawler.extract.meta_jsonld import people_of, resolve, types_of

AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
               "byl", "cxenseparse:author", "citation_author", "twitter:data1")
_PREFIX_BEFORE = re.compile(r"(?:^|(?<=[\s·|,;]))(?:by|von|par|por|de|di|door|av|af|text|texte|written by|autor|author|auteur)\s*:?\s*$", re.I)


def _printed_byline(text: str, names: list[str]) -> str:
    """The byline as printed: from its "By"-like prefix (or first name) to the end of the last name."""
    low = text.casefold()
    starts = [low.find(n.casefold()) for n in names]
    ends = [i + len(n) for i, n in zip(starts, names) if i >= 0]
    starts = [i for i in starts if i >= 0]
    if not starts:
        return text
    start, end = min(starts), max(ends)
    m = _PREFIX_BEFORE.search(text[:start])
    if m:
        start = m.start()
    return text[start:end].strip()


def _visible_bylines(nodes) -> list[tuple[list[str], str]]:
    """(names, printed text) for each byline-like element outside comments and teasers, in page order."""
    out = []
    seen_nodes = set()
    for el in nodes:
        if el in seen_nodes:
            continue
        text = dom.element_text(el)
        if text and 250 < len(text) <= 1500:
            text = _box_heading(el)  # an author box: the name heads it, a bio follows
        if not text or len(text) > 250:
            continue
        cls = ((el.get("class") or "") + " " + (el.get("id") or "")).casefold()
        if any(w in cls for w in ("bio", "avatar", "image", "photo", "desc", "comment", "more", "social", "follow")):
            continue
        if el.get("data-author") or el.get("author"):
            continue  # a whole post that names its author in an attribute (see ``_thread_opener``)
        if dom.skippable(el):
            continue
        slots = _name_slots(el)
        names = people.names_from_text(", ".join(slots), agencies=True) if slots else []
        names = names or people.names_from_text(text, agencies=True)
        if names:
            out.append((names, _printed_byline(text, names)))
            seen_nodes.update(el.iterdescendants())
    return out


def _name_slots(el) -> list[str]:
    """The texts of a byline's own name elements ("By <span class=author-name>Jane Doe</span>
    <span class=author-role>Community reporter</span>"): read apart, a role printed beside the
    name cannot be glued to it."""
    found = []
    for sub in el.iterdescendants(etree.Element):
        tokens = (sub.get("class") or "").casefold().replace("__", "-").split()
        if any(t.endswith("name") and not any(w in t for w in ("user", "site", "brand", "publication", "org"))
               for t in tokens):
            text = dom.element_text(sub)
            if text and len(text) <= 80:
                found.append(text)
    return found if 0 < len(found) <= 6 else []


def _box_heading(el) -> str | None:
    """The first line of an author box ("Lauren Vetter" above "Lauren Vetter is a marketer..."):
    the text of the first element that prints any, when that element is short."""
    for sub in el.iter(etree.Element):
        if sub.text and any(c.isalnum() for c in sub.text):
            head = dom.element_text(sub)
            return head if len(head) <= 60 else None
    return None


_SHORT_BLOCK_TAGS = ("p", "span", "div", "em", "strong", "small", "li", "h4", "h5", "h6", "address", "b", "i", "dt", "th")
_PREFIX_START = re.compile(r"^\s*(?:by|von|par|por|door|av|af|text(?:e)?\s*(?::|von|par|by)|autor(?:in)?\s*:|author\s*:|"
                           r"auteur\s*:|written by|posted by|geschrieben von|(?:ein )?(?:beitrag|artikel) von|"
                           r"un article de|escrito por)\s+\S", re.I)


# a byline label printed in an element of its own, the name after it ("<b>Von:</b> Jane Doe",
# "<span>| By </span><span>Jane Doe</span>", "<strong>Autorin/Autor</strong> Jane Doe")
_LABEL_ONLY = re.compile(r"^\W*(?:by|von|par|por|door|written by|text|texte|autor(?:in)?(?:\s*/\s*autor(?:in)?)?|"
                         r"author|auteur)\s*:?\W*$", re.I)
# a label with a colon opens a longer line of labelled fields ("Autor: Jane Doe Tags: ..."): the
# byline is what follows it up to the next field's label
_LABELLED = re.compile(r"^\s*(?:von|autor(?:in)?|author|auteur|by|text)\s*:\s*", re.I)
_NEXT_LABEL = re.compile(r"\s[^\W\d_]+\s*:")


def _text_after(el, limit: int = 80) -> str:
    """The text printed right after ``el``: its tail, then its following siblings', up to the first
    that holds a letter."""
    parts = [el.tail or ""]
    for sib in el.itersiblings():
        if any(c.isalpha() for c in "".join(parts)):
            break
        parts.append(dom.element_text(sib) if isinstance(sib.tag, str) else "")
        parts.append(sib.tail or "")
    return dom.clean(" ".join(parts))[:limit]


# The first letters of the words that ``_PREFIX_START``, ``_LABEL_ONLY`` and ``_LABELLED`` start
# with (either case: no other code point matches them under re.I), and what ``dom.clean`` rewrites
# or removes before they see the text (an escaped entity, an invisible character).
_BYLINE_FIRST = frozenset("bvpdatwgeuBVPDATWGEU&" + "".join(map(chr, dom.INVISIBLE_CHARS)))


def _may_start_byline(first: str) -> bool:
    """Whether an element whose own text is ``first`` can read as a byline or a byline label: its
    first character is one of ``_BYLINE_FIRST`` or not a word character (``_LABEL_ONLY``'s ``\\W*``)."""
    char = first.lstrip()[0]
    return char in _BYLINE_FIRST or not (char.isalnum() or char == "_")


def _prefixed_byline(doc, agencies=False):
    """Last resort: a short element that reads like a byline ("By Jane Doe", "Text von Max Muster"),
    or a byline label whose name follows the element.

    Elements in document order (``iter`` over the tags: what an XPath union of descendant scans
    selects, without libxml2 scanning the tree once per tag and sorting the union); an element's
    whole text is read only when its own first text can start a byline (reading every ``div``'s
    text was half of this function's cost)."""
    root = doc.getroottree().getroot()
    for el in root.iter(_SHORT_BLOCK_TAGS) if root is not None else ():
        first = el.text
        if not first or first.isspace() or not _may_start_byline(first):
            continue  # text starting in a child (visited on its own), none, or no byline's start
        text = dom.element_text(el)
        labelled = False
        if text and len(text) <= 30 and _LABEL_ONLY.match(text):
            after = _text_after(el)  # a name, not the start of a sentence ("by default, ...")
            text, labelled = text.strip(" |·•") + " " + after, 0 < len(after) <= 50
        elif text and len(text) > 100 and _LABELLED.match(text):
            head = _LABELLED.match(text)
            rest = text[head.end():head.end() + 80]
            cut = _NEXT_LABEL.search(rest)
            text = text[:head.end()] + (rest[:cut.start()] if cut else rest)
        if not text or len(text) > 100 or not (labelled or _PREFIX_START.match(text)) or dom.skippable(el):
            continue
        names = people.names_from_text(text, agencies)
        if names:
            return names, _printed_byline(text, names)
    return [], None


def _credited(doc, jl, byline_nodes) -> tuple[list[str], str | None]:
    """(credits, printed byline) when the page names no person: the organisation, desk or handle that
    the structured author names and a visible byline confirms, else a visible byline element's credit.
    Meta author tags alone are not enough: without a person there they name the site's operator."""
    shown = []
    for el in byline_nodes[:40]:
        if el.get("data-author") or el.get("author"):
            continue
        text = dom.element_text(el)
        if text and len(text) <= 120 and not dom.skippable(el):
            shown.append(text)
    found = [c for name, _ in jl for c in people.credits_from_text(name)]
    if found:
        bylines = " ".join(shown).casefold()
        found = [c for c in found if c.casefold() in bylines]
        if found:
            return found, None
    for text in shown[:12]:
        found = people.credits_from_text(text)
        if found:
            return found, text
    return [], None


_THREAD_TYPES = ("discussionforumposting", "question")
_NAME_IN_SLOT = etree.XPath("descendant::*[@itemprop='name'][1]")


def _slot_name(el) -> str | None:
    """The name an author slot holds: its ``data-author``/``author`` attribute, else the text of its
    ``itemprop=name`` part, else its first line of text (avatars print an initial beside the name)."""
    value = el.get("data-author") or el.get("author")
    if not value:
        inner = _NAME_IN_SLOT(el)
        if inner:
            value = inner[0].get("content") or dom.element_text(inner[0])
        else:
            value = next((t.strip() for t in el.itertext() if any(c.isalnum() for c in t)), "")
    value = dom.clean(value)
    if not value:
        return None
    named = people.names_from_text(value)
    if named:
        return named[0]
    return value if people.is_handle(value) else None


def _thread_opener(objects, index, byline_nodes) -> tuple[str | None, bool]:
    """(who opened the discussion, whether structured data says so) on a forum thread or Q&A page:
    the author of its structured DiscussionForumPosting or Question, else the first of several
    different author slots on the page (an element's ``data-author``, ``itemprop=author``, a
    byline's link to a member profile) outside comment blocks, the one in a post marked as the
    thread's first if any. The people named further down are the repliers, and the names printed
    near them are member titles ("Veteran") and places. Screen names count ("paulb203"): the slot
    marks them as the author."""
    for obj in objects or ():
        if any(t in _THREAD_TYPES for t in types_of(obj)) and obj.get("author"):
            for name, kind in people_of(obj["author"], index):
                name = dom.clean(name)
                if kind != "organization" and people.is_handle(name):
                    return name, True
            break
    slots = []
    for el in byline_nodes:
        if not (el.get("data-author") or el.get("author") or el.get("itemprop") == "author"):
            # a byline linking its author's member profile ("by <a href=...viewprofile...>b.scherer</a>")
            links = _PROFILE_LINK(el)
            if not links:
                continue
            el = links[0]
        if not slots and dom.skippable(el) or _CREDIT_SLOT.search((el.get("class") or "").casefold()):
            continue
        name = _slot_name(el)
        if name:
            if _in_opening_post(el):
                return name, False
            slots.append(name)
    if len({n.casefold() for n in slots}) > 1:
        return slots[0], False
    return None, False


_PROFILE_LINK = etree.XPath(
    "descendant::a[contains(@href, 'viewprofile') or contains(@href, '/members/') or contains(@href, '/member/')"
    " or contains(@href, '/users/') or contains(@href, '/user/') or contains(@href, '/u/')"
    " or contains(@href, '/profile/')][normalize-space()][1]")
_CREDIT_SLOT = re.compile(r"credit|caption|photo|image")  # an image's author: a credit, not a byline
_OPENING_POST = re.compile(r"starter|threadauthor|topicauthor|original-?post")


def _in_opening_post(el) -> bool:
    """Inside the post a forum marks as the thread's first ("message-threadStarterPost"): a page may
    show a featured answer above it."""
    for anc in (el, *el.iterancestors()):
        if anc.tag in ("body", "html"):
            return False
        if _OPENING_POST.search((anc.get("class") or "").casefold()):
            return True
    return False


def authors(doc, meta, art, byline_nodes, index, site_name, url=None, objects=None):
    """(authors in page order, byline as printed or None, whether a person or agency is named).
    Authors are persons and agencies; when the page names neither, the credited organisation.
    A discussion is credited to whoever opened it, unless the article's structured data names
    persons (several author slots are then co-authors, or commenters)."""
    found = _article_authors(doc, meta, art, byline_nodes, index, site_name, url)
    opener, declared = _thread_opener(objects, index, byline_nodes)
    if not opener or opener.casefold() in {a.casefold() for a in found[0]}:
        return found
    if declared or not (art and any(kind == "person" for _, kind in people_of(art.get("author"), index))):
        return [opener], None, True
    return found


def _article_authors(doc, meta, art, byline_nodes, index, site_name, url):
    jl = []
    if art:
        for key in ("author", "creator"):
            if art.get(key):
                jl = people_of(art[key], index)
                if jl:
                    break
    # a publication's title ("Die Furche") in an author field is no person, whatever its type says
    jl_named = [n for n in people.clean_authors([n for n, kind in jl if kind != "organization"], agencies=True)
                if people.is_agency(n) or not people.is_title(n)]
    jl_named += [n for n, kind in jl if kind == "organization" and people.is_agency(n)]
    # agencies join whoever the persons turn out to be; they must not outvote a visible person
    agencies = [n for n in jl_named if people.is_agency(n)]
    jl_persons = [n for n in jl_named if not people.is_agency(n)]
    raw_meta = [v for k in AUTHOR_META for v in meta.get(k, [])
                if not v.startswith("http") and k != "twitter:data1" and not _names_own_site(v, url)]
    label = (dom.first(meta, "twitter:label1") or "").casefold()
    if any(w in label for w in ("written by", "verfasst von", "auteur", "autor", "écrit par", "escrito por")):
        raw_meta += meta.get("twitter:data1", [])[:1]
    meta_names = people.clean_authors(raw_meta, agencies=True)
    agencies += [n for n in meta_names if people.is_agency(n)]
    meta_names = [n for n in meta_names if not people.is_agency(n) and not people.is_title(n)]
    visible = _visible_bylines(byline_nodes)
    known = {n.casefold() for n in jl_persons + meta_names}
    # prefer the visible byline that names the structured author (the first may be a teaser's)
    chosen = next((v for v in visible if known & {n.casefold() for n in v[0]}), visible[0] if visible else None)
    vis_names = chosen[0] if chosen else []
    byline = chosen[1] if chosen else None
    if jl_persons:
        authors = jl_persons
        # the visible byline may be more complete (co-authors) or show the real person
        seen_jl, seen_vis = set(map(str.casefold, jl_persons)), set(map(str.casefold, vis_names))
        if vis_names and not seen_vis & seen_jl \
                and any(kind == "unknown" for _, kind in jl) and len(vis_names) >= len(jl_persons):
            authors = vis_names
        elif seen_jl < seen_vis:  # the byline names co-authors the structured data left out
            authors = vis_names
    elif vis_names and not (meta_names and not known & {n.casefold() for n in vis_names}):
        authors = vis_names
    elif meta_names:
        authors = meta_names
    else:
        authors, byline = _prefixed_byline(doc, agencies=True)
    if agencies:
        have = {a.casefold() for a in authors}
        authors = authors + [a for a in agencies if a.casefold() not in have]
    shown = {n.casefold() for names, _ in visible for n in names}
    if authors:
        if not _publisher_is_person(art, index):  # a personal blog is published by its author
            # so is a personal site named after its owner: a Person in structured data whom a
            # visible byline also shows is that person, even when the site bears the same name
            owners = {n.casefold() for n, kind in jl if kind == "person"} & shown
            authors = _without_site(authors, site_name, url, keep=owners)
        if not authors:  # the author fields name only the publication: that is the publisher
            return _organisations(jl, site_name, url, shown), byline, False
    else:
        # no person anywhere: the organisation, desk or handle the page itself credits as author
        authors, credited_byline = _credited(doc, jl, byline_nodes)
        if not authors:
            authors = _organisations(jl, site_name, url, shown)
        return people.dedupe(authors), byline or credited_byline, False
    return people.dedupe(authors), byline, True


def _organisations(jl, site_name, url, shown) -> list[str]:
    """The organisations the article's structured data types as its authors (``Organization``,
    ``NewsMediaOrganization``), for a page that names no person: a company's press release, a
    newsroom's desk. The publication's own name counts only where a visible byline prints it
    ("Von Eurosport"); alone in an author field it names the publisher, and human annotators
    record such pages as having no author. Structured authors of other types that are not person
    names (a site account typed ``Person``, a handle) stay out: they are as often CMS users as
    credits."""
    out = []
    for name, kind in jl:
        name = dom.clean(name)
        if kind != "organization" or not people.is_credit(name):
            continue
        if not _without_site([name], site_name, url) and name.casefold() not in shown:
            continue
        out.append(name)
    return out


_PAREN_DOMAIN = re.compile(r"\(\s*(?:https?://)?(?:www\.)?([\w.-]+\.[a-z]{2,})/?\s*\)", re.I)


def _names_own_site(value: str, url: str | None) -> bool:
    """An author value that gives the page's own domain ("Deutsche Welle (www.dw.com)") names the
    site's operator, not a writer."""
    m = _PAREN_DOMAIN.search(value)
    host = (urlsplit(url).hostname or "").casefold() if url else ""
    if not m or not host:
        return False
    domain = m.group(1).casefold()
    return host == domain or host.endswith("." + domain)


def _publisher_is_person(art, index) -> bool:
    publisher = resolve(art.get("publisher"), index) if art else None
    items = publisher if isinstance(publisher, list) else [publisher]
    return any(isinstance(p, dict) and "person" in types_of(p) for p in items)


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum())


def _without_site(authors: list[str], site_name: str | None, url: str | None, keep=frozenset()) -> list[str]:
    """Authors minus the publication itself: its name or its domain in an author field is the
    publisher, not a person ("Auto Zeitung" on autozeitung.de); it returns only as a credit that a
    visible byline confirms. "Adam Aaronson PhillyVoice" loses the publication glued after the name."""
    keys = set()
    if site_name:
        keys.add(_squash(site_name))
        keys.add(_squash(site_name.split(".")[0]))
    site_keys = set(keys)
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [x for x in host.split(".") if x not in ("www", "m", "de", "en", "fr", "es", "it", "amp")]
    if len(labels) >= 2:
        keys.add(_squash(labels[-2]))
    keys.discard("")
    out = []
    for a in authors:
        words = a.split()
        if len(words) > 2 and _squash(words[-1]) in keys:
            a = " ".join(words[:-1])
        key = _squash(a.rsplit(".", 1)[0] if "." in a and " " not in a else a)
        if key in keys and (" " not in a or key in site_keys) and not people.is_agency(a) \
                and a.casefold() not in keep:
            continue
        out.append(a)
    return out
