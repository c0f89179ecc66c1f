"""The ``Article`` record: the fixed output schema of extraction."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Bump when a change can alter extracted fields: rows record which version produced them.
EXTRACTOR_VERSION = "0.3.9"
# What ``Article.verdict`` may say, and the reasons a ``suspect`` one gives (in reporting order;
# ``crawler/extract/verdict.py`` judges, the dataset stores and filters on them).
VERDICTS = ("ok", "suspect")
VERDICT_REASONS = ("empty-body", "teaser-only", "off-topic-body", "much-shorter-than-articleBody", "paywalled",
                   "body-from-embedded-data")


@dataclass(slots=True)
class Caption:
    src: str | None = None
    alt: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass(slots=True)
class Article:
    url: str | None = None
    headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    top_image: str | None = None
    captions: list[Caption] = field(default_factory=list)
    body: str = ""
    word_count: int = 0
    extractor_version: str = EXTRACTOR_VERSION
    warnings: list[str] = field(default_factory=list)
    # ``ok``, or ``suspect`` with the reasons (``VERDICT_REASONS``) to distrust the body.
    verdict: str = "ok"
    verdict_reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for items, JSON and the process boundary (``dataclasses.asdict`` deep-copies
        recursively and was a visible cost per page in the crawl)."""
        out = {name: getattr(self, name) for name in _FIELDS}
        out["authors"] = list(self.authors)
        out["tags"] = list(self.tags)
        out["warnings"] = list(self.warnings)
        out["verdict_reasons"] = list(self.verdict_reasons)
        out["captions"] = [c if isinstance(c, dict) else {"src": c.src, "alt": c.alt, "caption": c.caption,
                                                           "credit": c.credit} for c in self.captions]
        return out


_FIELDS = tuple(f.name for f in fields(Article))
