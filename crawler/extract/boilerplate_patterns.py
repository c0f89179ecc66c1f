"""The boilerplate table: every class token, tag, role and phrase that marks non-article content.

This is data, kept apart from the algorithm so that a new kind of banner is one line here, not a
code change. Everything is generic (well-known CMS and ad-tech vocabulary, schema.org, ARIA): a
rule keyed on one site's unique class name would not survive held-out sites. Tokens are matched
case-insensitively against class/id names split on ``-``, ``_`` and camelCase humps, so ``ad``
matches ``ad-slot`` and ``topAd`` but not ``header`` or ``download``.
"""

from __future__ import annotations

# Removed before anything is measured: never article text in any page.
JUNK_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "map", "button", "input", "select", "textarea", "option",
    "link", "meta", "head", "title", "source", "track", "img", "picture",
)

# Structural tags that hold chrome, captions or asides; removed unless they hold most of the
# page's text (some CMSes wrap the whole page in <form>, or the article in <header>).
STRUCTURAL_TAGS = (
    "nav", "footer", "aside", "figure", "figcaption", "form", "header", "dialog", "menu",
    "label", "fieldset", "address",
)

# ARIA landmark roles that are never the article body.
ROLES = (
    "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "alert",
    "search", "menu", "menubar", "toolbar", "tablist", "status", "marquee", "button",
)

# schema.org properties whose elements are metadata around the body, not body text.
ITEMPROPS = ("author", "publisher", "datepublished", "datemodified", "caption", "creator", "contributor")

# Exact class/id sub-tokens. Deliberately absent: "subscription"/"paywall" (paywalled sites wrap
# the story itself in them; subscribe prompts are caught by BLOCK_PATTERNS), "widget" (page
# builders wrap everything in widgets), "media"/"image"/"gallery"/"toc" (layout words).
CLASS_TOKENS = (
    "ad", "ads", "adv", "advert", "adverts", "advertisement", "adslot", "adunit", "dfp", "gpt",
    "banner", "breadcrumb", "breadcrumbs", "byline", "bylines", "caption", "captions", "credit",
    "credits", "comment", "comments", "cookie", "cookies", "consent", "gdpr", "footer", "nav",
    "navbar", "navigation", "menu", "newsletter", "newsletters", "promo", "promos", "promoted",
    "related", "share", "shares", "sharing", "social", "sidebar", "sponsor", "sponsored",
    "signup", "tags", "tagline", "popup", "modal", "overlay", "outbrain", "taboola", "zergnet", "recommended",
    "recommendations", "recirc", "recirculation", "author", "authors", "bio", "toolbar", "tools",
    "print", "skip", "masthead", "dateline", "timestamp", "date", "pagination", "pager",
    "rating", "ratings", "disclaimer", "copyright", "trending", "popular", "teaser", "teasers",
    "sronly", "offscreen", "visuallyhidden", "login", "signin",
    "meta", "metadata", "headline", "kicker", "eyebrow", "dek", "subhead", "standfirst",
    "lede-image", "slideshow", "carousel", "video", "player", "inline-ad",
    "readmore", "next", "prev", "previous", "follow", "donate", "donation", "feedback",
    "rail", "nocontent", "hero", "thumbnail", "thumb", "icon",
    "enlarge", "lightbox", "topics", "keywords",
    "categories", "jump", "contributor", "avatar", "logo",
)

# Sub-token prefixes, for compounds such as ``sharebar``, ``advertorial``, ``relatedlinks``.
CLASS_PREFIXES = (
    "advert", "sponsor", "newsletter", "social", "share", "comment", "related", "recommend",
    "promo", "cookie", "outbrain", "taboola", "breadcrumb", "byline", "caption",
    "sidebar", "popup", "banner", "disqus", "adsense", "adslot", "adunit",
)

# Words that start with a prefix above but name content ("article-type-commentary").
PREFIX_EXCEPTIONS = (
    "commentary", "commentaries", "commentator", "commentators", "shareholder", "shareholders",
    "shared", "socialist", "socialism", "sponsorship", "promotion", "promotions", "related-topic",
)

# A class name with one of these sub-tokens names the body (or a quoted post embedded in it:
# "social-media-embed" holds the tweet the story quotes), whatever else it says.
BODY_TOKENS = ("body", "articlebody", "storybody", "embed", "embedded")

# Whole class names (after lower-casing) that hide text from sighted readers.
CLASS_NAMES = (
    "sr-only", "screen-reader-text", "visually-hidden", "visuallyhidden", "screenreader-only",
    "element-invisible", "hidden", "hide", "d-none", "u-hidden", "is-hidden", "a11y",
)

# Class names that describe the state or taxonomy of a post rather than its part of the page
# (WordPress puts ``has-post-thumbnail category-news tag-video`` on the article element itself).
STATE_PREFIXES = (
    "has-", "category-", "tag-", "format-", "status-", "type-", "postid-", "no-", "is-", "with-",
    "js-", "single-", "page-", "template-", "post-template", "author-", "layout-", "theme-",
)

# Tokens that mark the article text container; they overrule CLASS_TOKENS on the same name
# (``article-body-ad-free`` is body text) and pick the container when structure is ambiguous.
CONTENT_TOKENS = (
    "articlebody", "article-body", "article-content", "articlecontent", "story-body",
    "storybody", "story-content", "entry-content", "post-content", "postcontent", "post-body",
    "article-text", "articletext", "story-text", "body-text", "bodytext", "main-content",
    "article__body", "article__content", "c-entry-content", "rich-text", "richtext",
    "field-body", "text-content", "content-body", "article-body-text", "hentry", "h-entry",
)

# Whole blocks matching one of these (case-insensitive, anchored at the start, and only when the
# block is short: see content.MAX_PHRASE_BLOCK) are boilerplate. One pattern per kind of line.
BLOCK_PATTERNS = (
    r"advertisement\b",
    r"(sponsored|ad|ads|advert|adverts|anzeige|publicidad|publicité|pubblicità|paid (content|post|partner))$",
    r"skip to (main )?(content|navigation|main)",
    r".{0,40}\b(ie ?11|internet explorer)\b.{0,40}not supported",
    r".{0,60}for an optimal experience",
    r".{0,60}(browser|javascript).{0,40}(not supported|is disabled|must be enabled|update your browser)",
    # bylines: "By" + a capitalised name, short, not a sentence ("By Friday, the toll had risen." stays)
    r"(?-i:By|BY|by)\s+(?-i:[A-Z])[^!?]{0,90}(?<![.!?\"”])$",
    r"/?\s*source\s*:",
    r"(photo|image|picture|video|graphic|illustration)s?\s*(credit)?\s*:",
    r"(credit|photograph|photo by|image by|illustration by)\b",
    r".{0,30}\b(follow|like)\s+.{1,60}\s+on\s+(twitter|facebook|instagram|linkedin|x|tiktok|threads|bluesky|mastodon|google news|youtube|whatsapp|telegram|flipboard|apple news)\b",
    r".{0,80}(sign up|subscribe|register)\b.{0,80}\b(newsletter|updates|inbox|alerts)",
    r".{0,60}\b(our|free|daily|weekly|morning|evening|sign up|subscribe|join|get)\b.{0,40}\bnewsletters?\b",
    r".{0,40}(get|receive) .{0,60}(delivered|in your inbox|newsletter)",
    r".{0,60}\b(have a (news )?tip|got a (news )?tip|may be reached at|can be reached at)\b",
    r".{0,80}\bfollow (him|her|them|us|me) on\b",
    r"tell us what you think",
    r".{0,20}\[(\w+\s+\w+\s*=[^\]]*|/\w+)\]",                 # unrendered CMS shortcodes
    r"more (great |top |from |on |in )?.{0,30}(stories|articles|news|coverage|videos|reads)$",
    # "Posted by X - Category: Y" lines; a sentence ("...published by the group, reported...") ends in a full stop
    r".{0,40}\b(posted|written|published|publicado|publicada|publié|publiée|veröffentlicht|pubblicato)\s+(by|por|par|von|da)\b.{0,120}(?<![.!?\"”])$",
    r"recommended( for you| stories| articles| reading)?:?$",
    r"(related|more)( articles| stories| content| coverage| news| links| reading| videos)?:?$",
    r"(read|see|watch|listen)( (more|also|next|now|this|the full story))?\s*:",
    r"(read more|see more|show more|load more|view more|more from)\b",
    r"(also read|read also|see also|further reading|most read|most popular|trending now)\b",
    r"(share|share this|share on|share via|share article|tweet|email|print|copy link|comments?)$",
    r"share (this|on|via|article|story)\b",
    r".{0,40}\bwe use cookies\b",
    r".{0,60}\bcookies?\b.{0,40}(accept|consent|settings|policy|notice|experience)",
    r"(accept|manage) (all )?cookies",
    r"(©|\(c\)|copyright\b)",
    r".{0,40}\ball rights reserved\b",
    r"(updated|published|posted|last (updated|modified)|first published)\s*(on|at)?\s*[:\-–—]?\s*[\w.,:/ ]{0,50}$",
    r"(click here|tap here|tap to|click to)\b",
    r"(story|article) continues (below|after)",
    r"continue reading",
    r"\d+\s*(comments?|shares?|min(ute)?s? read|reactions?)$",
    r"(\d+\s*)?(min(ute)?s?) read$",
    r"(back to top|top of page|scroll to top|go to top)$",
    r"(loading|please wait)\.*$",
    r"(contact|email) (the )?(author|reporter|writer)",
    r"(this|the) (article|story|post|page) (was|is|has been) (updated|corrected)",
    r"(please )?(log ?in|sign ?in|register|subscribe) to (read|continue|comment|access)",
    r"already (a subscriber|have an account|registered)",
    r"(terms of (use|service)|privacy policy|cookie (policy|notice)|do not sell)",
    r"(write|leave|post|add) a comment",
    r"(tags?|topics?|filed under|categories|keywords)\s*:",
    r"(getty images|ap photo|associated press|reuters|afp|shutterstock|istock)(/[\w .]+)?$",
    r"(image|photo|video) \d+ of \d+$",
    r"advertisement\s*[-–—]\s*(scroll|continue)",
    r"(we|you) (value|respect) your privacy",
    r"enable javascript",
    r".{0,120}\bclick(ing)? here\b",
    r"\(?visited \d+ times",                                           # WordPress view counters
    r"\d+ (second|minute|hour|day|week|month|year)s? ago$",             # relative timestamps
    r".{0,80}\baffiliate (links?|partners?|commissions?|programs?)\b",
    r".{0,80}\b(may|might|can) (contain|include) (affiliate |sponsored )?links\b",
    # the same kinds of lines in the other big news languages
    r"(lesen sie (auch|mehr|hier)|mehr zum thema|auch interessant|das könnte sie (auch )?interessieren|weitere artikel)\b",
    r"(anzeige|werbung|teilen|jetzt (abonnieren|anmelden|registrieren|teilen))$",
    r".{0,40}\b(alle rechte vorbehalten|sie sind bereits registriert|zum newsletter)",
    r"(à lire aussi|lire aussi|voir aussi|publicité|abonnez-vous|partager)\b",
    r"(lee también|lea también|te puede interesar|le puede interesar|publicidad|suscríbete|compartir)\b",
    r"(leggi anche|potrebbe interessarti|pubblicità|condividi)\b",
    r"(leia também|veja também|leia mais|publicidade|compartilhe)\b",
    r".{0,80}\bcontributed (to )?(this )?(report|reporting|story|article)\b",   # credit lines
    r"(additional )?reporting (by|from)\b",
    r"(this (entry|post) was posted|dieser beitrag wurde)\b",
    r"(#[\w-]+\s*){2,}$",                                          # hashtag lines
    r"(anzeige|werbung)\s*[-–—:|]",
    r".{0,40}\bklicken sie (hier|auf)\b",
    r"(folgt|folgen sie) (uns|\w+) auf\b",
)

# Short blocks that are only a date/time stamp (datelines, "Nov. 8, 2017, 5:51 PM UTC").
MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december",
)
