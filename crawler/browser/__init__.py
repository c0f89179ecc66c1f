"""Optional browser capture (``NEWSARCHIVE_BROWSER``) for pages whose story only JavaScript draws.

``off`` (the default) changes nothing and needs nothing. ``auto`` fetches every page as usual
(wire capture: the bytes on the wire are archived) and fetches again in headless Chromium only
the pages whose HTML gave no article body and that look like an app shell (an empty mount point,
a "needs JavaScript" notice). ``always`` does so for every article page. ``NEWSARCHIVE_BROWSER_HOSTS``
limits both to some hosts. The browser is Debian's Chromium (``NEWSARCHIVE_BROWSER_EXECUTABLE``)
driven by scrapy-playwright (the ``browser`` extra); nothing is downloaded.

A browser capture is written as its own WARC records (``archive/middleware.py``): the page as
the browser received it, marked ``WARC-Capture-Mode: browser`` (the browser hands over decoded
bodies, not wire bytes), and the rendered DOM and a screenshot as ``resource`` records with
``urn:dom:`` and ``urn:view:`` targets. The article is extracted from the rendered DOM, and its
dataset row points at the browser capture. This module needs no browser package: the handler and
the page-side middleware are in ``crawler.browser.handler``, imported only when the mode is on.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import scrapy

MODES = ("off", "auto", "always")
# The request goes through the browser (and scrapy-playwright's own flag says the same to it).
META_KEY = "browser"
HANDLER = "crawler.browser.handler.BrowserDownloadHandler"
PAGE_MIDDLEWARE = "crawler.browser.handler.BrowserPageMiddleware"
# Just above the WARC middleware (950): its process_response runs first, so the WARC middleware
# finds the document, the rendered DOM and the screenshot ready.
PAGE_MIDDLEWARE_PRIORITY = 960

# An app shell: an empty mount point of a JavaScript framework, or a notice that the page needs JavaScript.
_SHELL = re.compile(
    rb"""<div[^>]*\bid=["']?(?:root|app|__next|__nuxt|___gatsby|svelte|main-app|application|react-root)["']?[^>]*>\s*</div>"""
    rb"""|<noscript[^>]*>[^<]{0,300}\b(?:enable|needs?|requires?|turn on)\b[^<]{0,40}\bjavascript""", re.I)


class BrowserUnavailable(Exception):
    """The browser option is on but cannot work here (one line for the user)."""


def mode_of(settings) -> str:
    mode = str(settings.get("NEWSARCHIVE_BROWSER", "off") or "off").strip().lower()
    if mode not in MODES:
        raise BrowserUnavailable(f"NEWSARCHIVE_BROWSER must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def looks_like_app_shell(html: bytes) -> bool:
    return bool(_SHELL.search(html[:2_000_000]))


def wants_browser(mode: str, hosts, url: str, page: dict, html: bytes) -> bool:
    """Should this page, just fetched and analysed, be fetched again in the browser?"""
    if mode == "off":
        return False
    if hosts and (urlsplit(url).hostname or "") not in hosts:
        return False
    article = page.get("article") or {}
    if mode == "always":
        return page.get("label") == "article"
    if page.get("label") == "listing" or (article.get("body") or "").strip():
        return False
    return looks_like_app_shell(html)


def browser_request(url: str, meta: dict, callback, errback) -> scrapy.Request:
    """The same URL again, through the browser (never filtered as a duplicate: it is one, on purpose)."""
    meta = {**meta, META_KEY: True, "playwright": True, "playwright_include_page": True,
            "news_expect": "browser"}
    return scrapy.Request(url, callback=callback, errback=errback, meta=meta, dont_filter=True)


def check(settings) -> tuple[str, str | None]:
    """(mode, executable); ``BrowserUnavailable`` when the mode is on and cannot work here."""
    mode = mode_of(settings)
    if mode == "off":
        return mode, None
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        raise BrowserUnavailable(
            f"NEWSARCHIVE_BROWSER={mode} needs the browser extra: pip install 'newsarchive[browser]'") from None
    executable = settings.get("NEWSARCHIVE_BROWSER_EXECUTABLE")
    if not executable or not os.access(executable, os.X_OK):
        raise BrowserUnavailable(f"no browser at {executable!r} (NEWSARCHIVE_BROWSER_EXECUTABLE; "
                                 "on Debian: apt-get install chromium)")
    return mode, executable


class BrowserAddon:
    """Turns the browser on when ``NEWSARCHIVE_BROWSER`` is not ``off``: the download handler for
    http/https becomes scrapy-playwright's, with every request that is not for the browser still
    going through the wire-capturing handler, and Chromium comes from the executable setting."""

    def update_settings(self, settings) -> None:
        mode, executable = check(settings)
        if mode == "off":
            return
        # "spider" priority: above the project's wire handler, below a -s DOWNLOAD_HANDLERS=... of the user
        settings.set("DOWNLOAD_HANDLERS", {"http": HANDLER, "https": HANDLER}, priority="spider")
        for name, value in (
                ("PLAYWRIGHT_BROWSER_TYPE", "chromium"),
                ("PLAYWRIGHT_LAUNCH_OPTIONS", {"executable_path": executable, "headless": True}),
                ("PLAYWRIGHT_MAX_CONTEXTS", 1),
                ("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", settings.getint("NEWSARCHIVE_BROWSER_PAGES", 2)),
                ("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", settings.getfloat("NEWSARCHIVE_BROWSER_TIMEOUT", 30.0) * 1000)):
            settings.set(name, value, priority="addon")
        settings["DOWNLOADER_MIDDLEWARES"][PAGE_MIDDLEWARE] = PAGE_MIDDLEWARE_PRIORITY


__all__ = ["MODES", "META_KEY", "BrowserAddon", "BrowserUnavailable", "mode_of", "check",
           "looks_like_app_shell", "wants_browser", "browser_request"]
