"""Exactly which rows a sequence of captures and articles leaves in archive.db.

The expected values were dumped from the writer before its statements were reworked for speed
(fewer statements per article, cached author and tag ids, one capture row looked up once): the
rows, ids, versions and full-text index must not depend on how the writer gets there. The
sequence covers new, unchanged and edited articles, edits within one batch, captures stored
twice or only with their article, entries that fail alone half-way through, and a second
writer (another crawl process) adding names the first one then uses.
"""

from __future__ import annotations

from dataclasses import replace
import re
import sqlite3

import pytest

from archive.capture import Capture
from crawler.dataset import schema
from crawler.dataset.errors import DatasetError
from crawler.dataset.writer import DatasetWriter

T0 = "2026-11-24T01:00:00.000000Z"
T1 = "2026-11-25T01:00:00.000000Z"
NOW = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def _capture(n: int, url: str, at: str, **extra) -> Capture:
    return Capture(**{"url": url, "status": 200, "mime": "text/html", "fetched_at": at,
                      "filename": f"crawl-{at[:10]}.warc.gz", "offset": 1000 * n, "length": 900 + n,
                      "record_id": f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>",
                      "payload_digest": f"sha1:DIGEST{n}", "revisit": False, "refers_to": None,
                      "ip": "127.0.0.1", "error": None, "truncated": None,
                      "request_record_id": f"<urn:uuid:10000000-0000-0000-0000-{n:012d}>", **extra})


A = "https://news.example/politics/zoning-vote"
B = "https://www.news.example/city/budget"
C = "https://news.example/culture/festival"
D = "https://news.example/not-archived"
E = "https://news.example/live/storm"
F = "https://news.example/science/drought"
G = "https://news.example/bad/tag"
H = "https://news.example/late"

ART_A = {"url": A, "headline": "Council backs zoning plan", "description": "A late vote.",
         "byline": "By Ada Okafor and Chen Wei", "authors": ["Ada Okafor", " Chen  Wei ", "Ada Okafor"],
         "published": "2026-11-23T10:00:00+00:00", "section": "politics",
         "tags": ["Politics", "Zoning", ""], "language": "en", "site_name": "News",
         "canonical_url": A, "top_image": "https://img.example/a.jpg",
         "captions": [{"src": "https://img.example/a.jpg", "alt": "The council chamber",
                       "caption": "Councillors vote on the zoning plan.", "credit": "AP Photo"},
                      "A bare caption string"],
         "body": "The council approved the zoning plan.\n\nResidents cheered the vote.",
         "extractor_version": "0.2.0", "warnings": ["none"]}
ART_B = {"url": B, "headline": "Budget gap widens", "authors": ["Chen Wei"], "tags": ["Budget"],
         "body": "The city budget gap widened to nine million.", "word_count": 99,
         "section": "city", "language": "en"}
ART_B2 = {**ART_B, "headline": "Budget gap widens again", "authors": ["Dana Morales", "Chen Wei"],
          "tags": [], "captions": [{"src": "https://img.example/b.jpg", "caption": "Café owners"}],
          "body": "The city budget gap widened to eleven million, the café owners said."}
ART_C = {"url": C, "headline": "Festival returns", "authors": "Greta Novak", "tags": "Culture",
         "body": "The harbour festival returns with theatre and music."}
ART_D = {"url": D, "headline": "Not archived", "body": "Fetched but the WARC write failed."}
ART_E = {"url": E, "headline": "Storm nears coast", "authors": ["Hiro Tanaka"],
         "tags": ["Weather"], "body": "A storm is expected tonight."}
ART_E2 = {**ART_E, "headline": "Storm hits coast", "authors": ["Hiro Tanaka", "Ines Duarte"],
          "tags": ["Weather", "Storm"], "body": "The storm hit the coast overnight."}
ART_F = {"url": F, "headline": "Drought deepens", "authors": ["Brand New Author"],
         "tags": ["Fresh Tag", "Weather"], "body": "Farmers report the driest season in decades."}
ART_G_BAD = {"url": G, "headline": "Half-written", "authors": ["Brand New Author"],
             "tags": ["Fresh Tag", "bad\ud800tag"], "body": "Rolled back with its tags.",
             "captions": [{"src": "https://img.example/g.jpg"}]}
ART_BAD_COUNT = {"url": "https://news.example/bad/count", "headline": "Too many words",
                 "authors": ["Never Stored"], "body": "x", "word_count": 2 ** 70}
ART_H = {"url": H, "headline": "Late story", "authors": ["Late Author", "Ada Okafor"],
         "tags": ["Late Tag", "Politics"], "body": "Written by another crawl process."}


def write_sequence(db) -> tuple[dict, dict, list]:
    """The sequence; returns both writers' counts and the first writer's errors."""
    one = DatasetWriter(db, batch_size=100, flush_seconds=3600)
    crawl = one.begin_crawl(started=T0, job="one", args={"n": 1})
    cap_a = _capture(1, A, T0)
    one.add_capture(cap_a, crawl)
    one.add_article(ART_A, cap_a, crawl)
    cap_b = _capture(2, B, T0)
    one.add_capture(cap_b, crawl)
    one.add_article(ART_B, cap_b, crawl)
    one.add_article(ART_C, _capture(3, C, T0), crawl)  # capture stored with its article only
    one.add_capture(cap_a, crawl)  # the same record twice: one row
    one.add_capture(replace(_capture(40, "https://news.example/bad/offset", T0), offset=2 ** 70), crawl)
    one.add_capture(_capture(41, "https://news.example/bad/crawl", T0), 999)  # no such crawl
    one.add_article(ART_BAD_COUNT, _capture(4, ART_BAD_COUNT["url"], T0), crawl)
    # the same capture again, with an article that can be stored: the capture row is written now
    one.add_article({**ART_BAD_COUNT, "word_count": None, "authors": []},
                    _capture(4, ART_BAD_COUNT["url"], T0), crawl)
    one.add_article({"headline": "no url anywhere"}, None, crawl)
    one.add_capture(Capture(url="https://news.example/down", status=None, mime=None, fetched_at=T0,
                            error="DNS lookup failed", record_id=None, filename=None, offset=None,
                            length=None), crawl)
    one.add_article(ART_D, Capture.not_archived(D, T0), crawl)
    one.add_article(ART_A, _capture(5, A, "2026-11-24T02:00:00.000000Z"), crawl)  # same batch
    cap_e = _capture(6, E, T0)
    one.add_capture(cap_e, crawl)
    one.add_article(ART_E, cap_e, crawl)
    one.add_article(ART_G_BAD, _capture(7, G, T0), crawl)
    one.add_article(ART_E2, _capture(8, E, "2026-11-24T03:00:00.000000Z"), crawl)
    # a version failing at its last tag: its new author and first tag are rolled back with it
    one.add_article({**ART_E2, "authors": ["Hiro Tanaka", "Rolled Back Author"],
                     "tags": ["Fresh Tag", "bad\ud800tag"]},
                    _capture(10, E, "2026-11-24T04:00:00.000000Z"), crawl)
    one.add_article(ART_F, _capture(9, F, T0), crawl)
    one.flush()

    crawl2 = one.begin_crawl(started=T1, job="two")
    cap_a2 = _capture(11, A, T1)
    one.add_capture(cap_a2, crawl2)
    one.add_article(ART_A, cap_a2, crawl2)
    cap_b2 = _capture(12, B, T1)
    one.add_capture(cap_b2, crawl2)
    one.add_article(ART_B2, cap_b2, crawl2)
    early = _capture(13, C, "2026-11-20T01:00:00.000000Z")
    one.add_capture(early, crawl2)
    one.add_article(ART_C, early, crawl2)
    revisit = _capture(14, A, "2026-11-26T01:00:00.000000Z", revisit=True,
                       refers_to={"record_id": cap_a.record_id, "url": A, "date": T0})
    one.add_capture(revisit, crawl2)
    one.add_article(ART_A, revisit, crawl2)
    one.add_article(ART_B2, _capture(15, B, "2026-11-25T02:00:00.000000Z"), crawl2)
    # versions whose searchable text is unchanged: new dates and section; a new image address
    one.add_article({**ART_C, "modified": "2026-11-25T09:00:00+00:00", "section": "arts"},
                    _capture(16, C, "2026-11-25T03:00:00.000000Z"), crawl2)
    one.add_article({**ART_A, "captions": [{**ART_A["captions"][0], "src": "https://img.example/a2.jpg"},
                                           ART_A["captions"][1]]},
                    _capture(17, A, "2026-11-25T04:00:00.000000Z"), crawl2)
    one.flush()

    # another crawl process adds names the first writer has not seen, then the first uses them
    with DatasetWriter(db, batch_size=100) as two:
        crawl3 = two.begin_crawl(started=T1, job="three")
        two.add_article({**ART_H, "url": H + "/other"}, _capture(21, H + "/other", T1), crawl3)
        two.end_crawl(crawl3, finished="2026-11-25T05:00:00.000000Z", stats={"x": 1})
    one.add_article(ART_H, _capture(22, H, T1), crawl2)
    one.add_article(ART_G_BAD, _capture(23, G, T1), crawl2)  # fails alone again
    one.end_crawl(crawl2, finished="2026-11-25T06:00:00.000000Z", stats={"articles": 6})
    one.end_crawl(crawl, finished="2026-11-24T06:00:00.000000Z", stats={"articles": 8})
    one.close()
    return one.counts, two.counts, one.errors


# Dumped from the writer of commit f697ff6, before its statements were reworked.
EXPECTED_COUNTS = ({"captures": 9, "articles_new": 8, "versions": 4, "unchanged": 5, "failed": 7},
                   {"captures": 0, "articles_new": 1, "versions": 0, "unchanged": 0, "failed": 0})
_SURROGATE = "'utf-8' codec can't encode character '\\ud800' in position N: surrogates not allowed"
EXPECTED_ERRORS = [
    "capture 'https://news.example/bad/offset': Python int too large to convert to SQLite INTEGER",
    "capture 'https://news.example/bad/crawl': FOREIGN KEY constraint failed",
    f"article {ART_BAD_COUNT['url']!r}: Python int too large to convert to SQLite INTEGER",
    "article None: article without a URL",
    f"article {G!r}: {_SURROGATE}", f"article {E!r}: {_SURROGATE}", f"article {G!r}: {_SURROGATE}",
]
EXPECTED_FTS = {"budget": [2], "zoning": [1], "okafor": [1, 8, 9], "storm": [6], "coast": [6],
                "headline:storm": [6], "captions_text:AP": [1], "wei": [1, 2], "café": [2],
                "authors_text:late": [8, 9], "residents": [1], "tonight": [],
                "index_is_the_rebuilt_index": True, "docs": 9}
EXPECTED_ROWS = {
    'crawls': [
        (1, '2026-11-24T01:00:00.000000Z', '2026-11-24T06:00:00.000000Z', 'finished', '{"articles": 8}', 'one', '{"n": 1}'),
        (2, '2026-11-25T01:00:00.000000Z', '2026-11-25T06:00:00.000000Z', 'finished', '{"articles": 6}', 'two', None),
        (3, '2026-11-25T01:00:00.000000Z', '2026-11-25T05:00:00.000000Z', 'finished', '{"x": 1}', 'three', None),
    ],
    'captures': [
        (1, 'https://news.example/politics/zoning-vote', 200, 'text/html', '2026-11-24T01:00:00.000000Z', 'sha1:DIGEST1', 'crawl-2026-11-24.warc.gz', 1000, 901, '<urn:uuid:00000000-0000-0000-0000-000000000001>', 0, None, '127.0.0.1', None, 1, '/archive/20261124010000id_/https://news.example/politics/zoning-vote'),
        (2, 'https://www.news.example/city/budget', 200, 'text/html', '2026-11-24T01:00:00.000000Z', 'sha1:DIGEST2', 'crawl-2026-11-24.warc.gz', 2000, 902, '<urn:uuid:00000000-0000-0000-0000-000000000002>', 0, None, '127.0.0.1', None, 1, '/archive/20261124010000id_/https://www.news.example/city/budget'),
        (3, 'https://news.example/down', None, None, '2026-11-24T01:00:00.000000Z', None, None, None, None, None, 0, None, None, 'DNS lookup failed', 1, None),
        (4, 'https://news.example/live/storm', 200, 'text/html', '2026-11-24T01:00:00.000000Z', 'sha1:DIGEST6', 'crawl-2026-11-24.warc.gz', 6000, 906, '<urn:uuid:00000000-0000-0000-0000-000000000006>', 0, None, '127.0.0.1', None, 1, '/archive/20261124010000id_/https://news.example/live/storm'),
        (5, 'https://news.example/culture/festival', 200, 'text/html', '2026-11-24T01:00:00.000000Z', 'sha1:DIGEST3', 'crawl-2026-11-24.warc.gz', 3000, 903, '<urn:uuid:00000000-0000-0000-0000-000000000003>', 0, None, '127.0.0.1', None, 1, '/archive/20261124010000id_/https://news.example/culture/festival'),
        (6, 'https://news.example/bad/count', 200, 'text/html', '2026-11-24T01:00:00.000000Z', 'sha1:DIGEST4', 'crawl-2026-11-24.warc.gz', 4000, 904, '<urn:uuid:00000000-0000-0000-0000-000000000004>', 0, None, '127.0.0.1', None, 1, '/archive/20261124010000id_/https://news.example/bad/count'),
        (7, 'https://news.example/not-archived', None, None, '2026-11-24T01:00:00.000000Z', None, None, None, None, None, 0, None, None, None, 1, None),
        (8, 'https://news.example/politics/zoning-vote', 200, 'text/html', '2026-11-24T02:00:00.000000Z', 'sha1:DIGEST5', 'crawl-2026-11-24.warc.gz', 5000, 905, '<urn:uuid:00000000-0000-0000-0000-000000000005>', 0, None, '127.0.0.1', None, 1, '/archive/20261124020000id_/https://news.example/politics/zoning-vote'),
        (9, 'https://news.example/live/storm', 200, 'text/html', '2026-11-24T03:00:00.000000Z', 'sha1:DIGEST8', 'crawl-2026-11-24.warc.gz', 8000, 908, '<urn:uuid:00000000-0000-0000-0000-000000000008>', 0, None, '127.0.0.1', None, 1, '/archive/20261124030000id_/https://news.example/live/storm'),
        (10, 'https://news.example/science/drought', 200, 'text/html', '2026-11-24T01:00:00.000000Z', 'sha1:DIGEST9', 'crawl-2026-11-24.warc.gz', 9000, 909, '<urn:uuid:00000000-0000-0000-0000-000000000009>', 0, None, '127.0.0.1', None, 1, '/archive/20261124010000id_/https://news.example/science/drought'),
        (11, 'https://news.example/politics/zoning-vote', 200, 'text/html', '2026-11-25T01:00:00.000000Z', 'sha1:DIGEST11', 'crawl-2026-11-25.warc.gz', 11000, 911, '<urn:uuid:00000000-0000-0000-0000-000000000011>', 0, None, '127.0.0.1', None, 2, '/archive/20261125010000id_/https://news.example/politics/zoning-vote'),
        (12, 'https://www.news.example/city/budget', 200, 'text/html', '2026-11-25T01:00:00.000000Z', 'sha1:DIGEST12', 'crawl-2026-11-25.warc.gz', 12000, 912, '<urn:uuid:00000000-0000-0000-0000-000000000012>', 0, None, '127.0.0.1', None, 2, '/archive/20261125010000id_/https://www.news.example/city/budget'),
        (13, 'https://news.example/culture/festival', 200, 'text/html', '2026-11-20T01:00:00.000000Z', 'sha1:DIGEST13', 'crawl-2026-11-20.warc.gz', 13000, 913, '<urn:uuid:00000000-0000-0000-0000-000000000013>', 0, None, '127.0.0.1', None, 2, '/archive/20261120010000id_/https://news.example/culture/festival'),
        (14, 'https://news.example/politics/zoning-vote', 200, 'text/html', '2026-11-26T01:00:00.000000Z', 'sha1:DIGEST14', 'crawl-2026-11-26.warc.gz', 14000, 914, '<urn:uuid:00000000-0000-0000-0000-000000000014>', 1, '<urn:uuid:00000000-0000-0000-0000-000000000001>', '127.0.0.1', None, 2, '/archive/20261126010000id_/https://news.example/politics/zoning-vote'),
        (15, 'https://www.news.example/city/budget', 200, 'text/html', '2026-11-25T02:00:00.000000Z', 'sha1:DIGEST15', 'crawl-2026-11-25.warc.gz', 15000, 915, '<urn:uuid:00000000-0000-0000-0000-000000000015>', 0, None, '127.0.0.1', None, 2, '/archive/20261125020000id_/https://www.news.example/city/budget'),
        (16, 'https://news.example/culture/festival', 200, 'text/html', '2026-11-25T03:00:00.000000Z', 'sha1:DIGEST16', 'crawl-2026-11-25.warc.gz', 16000, 916, '<urn:uuid:00000000-0000-0000-0000-000000000016>', 0, None, '127.0.0.1', None, 2, '/archive/20261125030000id_/https://news.example/culture/festival'),
        (17, 'https://news.example/politics/zoning-vote', 200, 'text/html', '2026-11-25T04:00:00.000000Z', 'sha1:DIGEST17', 'crawl-2026-11-25.warc.gz', 17000, 917, '<urn:uuid:00000000-0000-0000-0000-000000000017>', 0, None, '127.0.0.1', None, 2, '/archive/20261125040000id_/https://news.example/politics/zoning-vote'),
        (18, 'https://news.example/late/other', 200, 'text/html', '2026-11-25T01:00:00.000000Z', 'sha1:DIGEST21', 'crawl-2026-11-25.warc.gz', 21000, 921, '<urn:uuid:00000000-0000-0000-0000-000000000021>', 0, None, '127.0.0.1', None, 3, '/archive/20261125010000id_/https://news.example/late/other'),
        (19, 'https://news.example/late', 200, 'text/html', '2026-11-25T01:00:00.000000Z', 'sha1:DIGEST22', 'crawl-2026-11-25.warc.gz', 22000, 922, '<urn:uuid:00000000-0000-0000-0000-000000000022>', 0, None, '127.0.0.1', None, 2, '/archive/20261125010000id_/https://news.example/late'),
    ],
    'articles': [
        (1, 'https://news.example/politics/zoning-vote', 'https://news.example/politics/zoning-vote', 'news.example', 'Council backs zoning plan', 'A late vote.', 'By Ada Okafor and Chen Wei', '["Ada Okafor", "Chen Wei"]', '2026-11-23T10:00:00+00:00', None, 'politics', '["Politics", "Zoning"]', 'en', 'News', 'https://img.example/a.jpg', 'The council approved the zoning plan.\n\nResidents cheered the vote.', 10, '[{"src": "https://img.example/a2.jpg", "alt": "The council chamber", "caption": "Councillors vote on the zoning plan.", "credit": "AP Photo"}, {"src": null, "alt": null, "caption": "A bare caption string", "credit": null}]', 'Councillors vote on the zoning plan.\nThe council chamber\nAP Photo\nA bare caption string', 'Ada Okafor, Chen Wei', '2026-11-24T01:00:00.000000Z', '2026-11-26T01:00:00.000000Z', 2, 11, '2026-11-25T04:00:00.000000Z', 'crawl-2026-11-25.warc.gz', 17000, '<urn:uuid:00000000-0000-0000-0000-000000000017>', 'sha1:DIGEST17', '/archive/20261125040000id_/https://news.example/politics/zoning-vote'),
        (2, 'https://www.news.example/city/budget', None, 'news.example', 'Budget gap widens again', None, None, '["Dana Morales", "Chen Wei"]', None, None, 'city', '[]', 'en', None, None, 'The city budget gap widened to eleven million, the café owners said.', 99, '[{"src": "https://img.example/b.jpg", "alt": null, "caption": "Café owners", "credit": null}]', 'Café owners', 'Dana Morales, Chen Wei', '2026-11-24T01:00:00.000000Z', '2026-11-25T02:00:00.000000Z', 2, 9, '2026-11-25T01:00:00.000000Z', 'crawl-2026-11-25.warc.gz', 12000, '<urn:uuid:00000000-0000-0000-0000-000000000012>', 'sha1:DIGEST12', '/archive/20261125010000id_/https://www.news.example/city/budget'),
        (3, 'https://news.example/culture/festival', None, 'news.example', 'Festival returns', None, None, '["Greta Novak"]', None, '2026-11-25T09:00:00+00:00', 'arts', '["Culture"]', None, None, None, 'The harbour festival returns with theatre and music.', 8, '[]', None, 'Greta Novak', '2026-11-20T01:00:00.000000Z', '2026-11-25T03:00:00.000000Z', 2, 10, '2026-11-25T03:00:00.000000Z', 'crawl-2026-11-25.warc.gz', 16000, '<urn:uuid:00000000-0000-0000-0000-000000000016>', 'sha1:DIGEST16', '/archive/20261125030000id_/https://news.example/culture/festival'),
        (4, 'https://news.example/bad/count', None, 'news.example', 'Too many words', None, None, '[]', None, None, None, '[]', None, None, None, 'x', 1, '[]', None, None, '2026-11-24T01:00:00.000000Z', '2026-11-24T01:00:00.000000Z', 1, 4, '2026-11-24T01:00:00.000000Z', 'crawl-2026-11-24.warc.gz', 4000, '<urn:uuid:00000000-0000-0000-0000-000000000004>', 'sha1:DIGEST4', '/archive/20261124010000id_/https://news.example/bad/count'),
        (5, 'https://news.example/not-archived', None, 'news.example', 'Not archived', None, None, '[]', None, None, None, '[]', None, None, None, 'Fetched but the WARC write failed.', 6, '[]', None, None, '2026-11-24T01:00:00.000000Z', '2026-11-24T01:00:00.000000Z', 1, 5, '2026-11-24T01:00:00.000000Z', None, None, None, None, None),
        (6, 'https://news.example/live/storm', None, 'news.example', 'Storm hits coast', None, None, '["Hiro Tanaka", "Ines Duarte"]', None, None, None, '["Weather", "Storm"]', None, None, None, 'The storm hit the coast overnight.', 6, '[]', None, 'Hiro Tanaka, Ines Duarte', '2026-11-24T01:00:00.000000Z', '2026-11-24T03:00:00.000000Z', 2, 7, '2026-11-24T03:00:00.000000Z', 'crawl-2026-11-24.warc.gz', 8000, '<urn:uuid:00000000-0000-0000-0000-000000000008>', 'sha1:DIGEST8', '/archive/20261124030000id_/https://news.example/live/storm'),
        (7, 'https://news.example/science/drought', None, 'news.example', 'Drought deepens', None, None, '["Brand New Author"]', None, None, None, '["Fresh Tag", "Weather"]', None, None, None, 'Farmers report the driest season in decades.', 7, '[]', None, 'Brand New Author', '2026-11-24T01:00:00.000000Z', '2026-11-24T01:00:00.000000Z', 1, 8, '2026-11-24T01:00:00.000000Z', 'crawl-2026-11-24.warc.gz', 9000, '<urn:uuid:00000000-0000-0000-0000-000000000009>', 'sha1:DIGEST9', '/archive/20261124010000id_/https://news.example/science/drought'),
        (8, 'https://news.example/late/other', None, 'news.example', 'Late story', None, None, '["Late Author", "Ada Okafor"]', None, None, None, '["Late Tag", "Politics"]', None, None, None, 'Written by another crawl process.', 5, '[]', None, 'Late Author, Ada Okafor', '2026-11-25T01:00:00.000000Z', '2026-11-25T01:00:00.000000Z', 1, 12, '2026-11-25T01:00:00.000000Z', 'crawl-2026-11-25.warc.gz', 21000, '<urn:uuid:00000000-0000-0000-0000-000000000021>', 'sha1:DIGEST21', '/archive/20261125010000id_/https://news.example/late/other'),
        (9, 'https://news.example/late', None, 'news.example', 'Late story', None, None, '["Late Author", "Ada Okafor"]', None, None, None, '["Late Tag", "Politics"]', None, None, None, 'Written by another crawl process.', 5, '[]', None, 'Late Author, Ada Okafor', '2026-11-25T01:00:00.000000Z', '2026-11-25T01:00:00.000000Z', 1, 13, '2026-11-25T01:00:00.000000Z', 'crawl-2026-11-25.warc.gz', 22000, '<urn:uuid:00000000-0000-0000-0000-000000000022>', 'sha1:DIGEST22', '/archive/20261125010000id_/https://news.example/late'),
    ],
    'article_versions': [
        (1, 1, 1, 'sha256:42a6a5c55f9fd090c4c6dc3af89ea0881b14ad6dbf2b2d86c1bd472f5f354ab8', 'Council backs zoning plan', 'A late vote.', 'By Ada Okafor and Chen Wei', '["Ada Okafor", "Chen Wei"]', '2026-11-23T10:00:00+00:00', None, 'politics', 'en', 'The council approved the zoning plan.\n\nResidents cheered the vote.', 10, '0.2.0', 1, '<now>'),
        (2, 2, 1, 'sha256:6ea6c622c27eabd91667513142fe0ca95d5c96fb2c0f0042a7740097e71d0338', 'Budget gap widens', None, None, '["Chen Wei"]', None, None, 'city', 'en', 'The city budget gap widened to nine million.', 99, None, 2, '<now>'),
        (3, 3, 1, 'sha256:cc724090825f624c720554b765c09a8347e8c1e6ce478fc6811428eba1738cf2', 'Festival returns', None, None, '["Greta Novak"]', None, None, None, None, 'The harbour festival returns with theatre and music.', 8, None, 5, '<now>'),
        (4, 4, 1, 'sha256:fd27a87253e30909e0df3f216d49c89b6bc9e321f9ae609f5ddc1934b4b6f775', 'Too many words', None, None, '[]', None, None, None, None, 'x', 1, None, 6, '<now>'),
        (5, 5, 1, 'sha256:01d6c8484b1c7fc32f466a1c8a1d81cfb3bd54e0af235f1b7bf3049d83f6e9ac', 'Not archived', None, None, '[]', None, None, None, None, 'Fetched but the WARC write failed.', 6, None, 7, '<now>'),
        (6, 6, 1, 'sha256:342b1704d6dbfff0af58ab8667b76be3a298ab601061ca3be05087e312332a97', 'Storm nears coast', None, None, '["Hiro Tanaka"]', None, None, None, None, 'A storm is expected tonight.', 5, None, 4, '<now>'),
        (7, 6, 2, 'sha256:0745d4e63bd3a70aa41bf75499ba8aaeaca7626c84a1bae38115ebc739203aa6', 'Storm hits coast', None, None, '["Hiro Tanaka", "Ines Duarte"]', None, None, None, None, 'The storm hit the coast overnight.', 6, None, 9, '<now>'),
        (8, 7, 1, 'sha256:4b1499ec143a7a2693c4b214fe4ec45fc2f1df9c010d82056c496f67537b9f36', 'Drought deepens', None, None, '["Brand New Author"]', None, None, None, None, 'Farmers report the driest season in decades.', 7, None, 10, '<now>'),
        (9, 2, 2, 'sha256:bf27a78c30df60edfae82fdae25746d08d52982003f9951e2dc844420b562233', 'Budget gap widens again', None, None, '["Dana Morales", "Chen Wei"]', None, None, 'city', 'en', 'The city budget gap widened to eleven million, the café owners said.', 99, None, 12, '<now>'),
        (10, 3, 2, 'sha256:3e3a66ea4d71fba003e03a5a53e43331fc8a12eecee3f67ede949237f4d3825d', 'Festival returns', None, None, '["Greta Novak"]', None, '2026-11-25T09:00:00+00:00', 'arts', None, 'The harbour festival returns with theatre and music.', 8, None, 16, '<now>'),
        (11, 1, 2, 'sha256:5c962307f9527f1f1f4e7d98a3a29f358299d46646bff2b8f926a6eaef5cc9b7', 'Council backs zoning plan', 'A late vote.', 'By Ada Okafor and Chen Wei', '["Ada Okafor", "Chen Wei"]', '2026-11-23T10:00:00+00:00', None, 'politics', 'en', 'The council approved the zoning plan.\n\nResidents cheered the vote.', 10, '0.2.0', 17, '<now>'),
        (12, 8, 1, 'sha256:9fc0e9f507f82519aa7861c15be025febe016f63ac92f65d5e0e98ef699abe48', 'Late story', None, None, '["Late Author", "Ada Okafor"]', None, None, None, None, 'Written by another crawl process.', 5, None, 18, '<now>'),
        (13, 9, 1, 'sha256:9fc0e9f507f82519aa7861c15be025febe016f63ac92f65d5e0e98ef699abe48', 'Late story', None, None, '["Late Author", "Ada Okafor"]', None, None, None, None, 'Written by another crawl process.', 5, None, 19, '<now>'),
    ],
    'authors': [
        (1, 'Ada Okafor'),
        (2, 'Chen Wei'),
        (3, 'Greta Novak'),
        (4, 'Hiro Tanaka'),
        (5, 'Ines Duarte'),
        (6, 'Brand New Author'),
        (7, 'Dana Morales'),
        (8, 'Late Author'),
    ],
    'article_authors': [
        (6, 4, 0),
        (6, 5, 1),
        (7, 6, 0),
        (2, 7, 0),
        (2, 2, 1),
        (3, 3, 0),
        (1, 1, 0),
        (1, 2, 1),
        (8, 8, 0),
        (8, 1, 1),
        (9, 8, 0),
        (9, 1, 1),
    ],
    'images': [
        (1, 1, 0, 'https://img.example/a.jpg', 'The council chamber', 'Councillors vote on the zoning plan.', 'AP Photo'),
        (2, 1, 1, None, None, 'A bare caption string', None),
        (3, 9, 0, 'https://img.example/b.jpg', None, 'Café owners', None),
        (4, 11, 0, 'https://img.example/a2.jpg', 'The council chamber', 'Councillors vote on the zoning plan.', 'AP Photo'),
        (5, 11, 1, None, None, 'A bare caption string', None),
    ],
    'tags': [
        (1, 'Politics'),
        (2, 'Zoning'),
        (3, 'Budget'),
        (4, 'Culture'),
        (5, 'Weather'),
        (6, 'Storm'),
        (7, 'Fresh Tag'),
        (8, 'Late Tag'),
    ],
    'article_tags': [
        (6, 5),
        (6, 6),
        (7, 7),
        (7, 5),
        (3, 4),
        (1, 1),
        (1, 2),
        (8, 8),
        (8, 1),
        (9, 8),
        (9, 1),
    ],
}

TABLES = ("crawls", "captures", "articles", "article_versions", "authors", "article_authors",
          "images", "tags", "article_tags")


def dump(db) -> dict:
    """Every row of every dataset table, in rowid order; write times masked after a check."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
            cols = [d[0] for d in cur.description]
            rows = []
            for values in cur:
                row = dict(zip(cols, values))
                if table in ("articles", "article_versions"):
                    # migration 4's columns; these articles carry no verdict, so they stay unjudged
                    assert (row.pop("verdict"), row.pop("verdict_reasons")) == (None, None)
                # migration 6's columns: these captures and articles say nothing of robots or discovery
                policy = {"captures": schema.CAPTURE_POLICY_COLUMNS, "articles": schema.ARTICLE_POLICY_COLUMNS}
                for column in policy.get(table, ()):
                    assert row.pop(column) is None, (table, column)
                if table == "article_versions":
                    assert NOW.match(row["created_at"]), row["created_at"]
                    row["created_at"] = "<now>"
                rows.append(row)
            out[table] = rows
        return out
    finally:
        conn.close()


def fts_state(db) -> dict:
    """Search results, and whether the index holds exactly what the articles table says."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        def match(query):
            return [r[0] for r in conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid", (query,))]

        def vocab():
            return conn.execute("SELECT term, doc, col, offset FROM fts_vocab "
                                "ORDER BY term, doc, col, offset").fetchall()

        conn.execute("CREATE VIRTUAL TABLE temp.fts_vocab USING fts5vocab(main, articles_fts, instance)")
        state = {q: match(q) for q in ("budget", "zoning", "okafor", "storm", "coast",
                                       "headline:storm", "captions_text:AP", "wei", "café",
                                       "authors_text:late", "residents", "tonight")}
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        before = vocab()
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        state["index_is_the_rebuilt_index"] = before == vocab()
        state["docs"] = conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
        return state
    finally:
        conn.close()


def test_rows_and_search_index_are_exactly_those_of_the_reference_writer(tmp_path):
    db = tmp_path / "archive.db"
    counts_one, counts_two, errors = write_sequence(db)
    assert (counts_one, counts_two) == EXPECTED_COUNTS
    # which statement meets the bad tag first (its row or its JSON list) is not the contract
    assert [re.sub(r"in position \d+", "in position N", e) for e in errors] == EXPECTED_ERRORS
    rows = dump(db)
    for table in TABLES:
        assert [tuple(r.values()) for r in rows[table]] == EXPECTED_ROWS[table], table
    assert fts_state(db) == EXPECTED_FTS
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def _small_batch(writer):
    crawl = writer.begin_crawl(started=T0, job="retry")
    writer.add_article({**ART_F, "authors": ["Only In This Batch"], "tags": ["Once"]},
                       _capture(31, F, T0), crawl)
    writer.add_capture(_capture(32, A, T0), crawl)
    writer.add_article(ART_A, _capture(32, A, T0), crawl)
    writer.add_article(ART_E, _capture(33, E, T0), crawl)
    writer.add_article(ART_E2, _capture(34, E, T1), crawl)


def test_a_batch_that_could_not_commit_is_written_whole_by_the_next_flush(tmp_path):
    """Nothing the writer remembers from a rolled-back transaction (ids of names, captures)
    may leak into the retry: the result is that of a writer that never failed."""
    reference = tmp_path / "reference.db"
    with DatasetWriter(reference, batch_size=100) as writer:
        _small_batch(writer)
    db = tmp_path / "archive.db"
    writer = DatasetWriter(db, batch_size=100)
    _small_batch(writer)

    def deny_images(action, table, *_):
        return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_INSERT and table == "images" \
            else sqlite3.SQLITE_OK

    writer.conn.set_authorizer(deny_images)  # ART_A has captions: fails after a new author
    with pytest.raises(DatasetError, match="batch was kept"):
        writer.flush()
    writer.conn.set_authorizer(None)
    assert dump(db)["authors"] == [] and len(writer._pending) == 5
    writer.close()
    assert writer.counts == {"captures": 1, "articles_new": 3, "versions": 1, "unchanged": 0,
                             "failed": 0}
    assert dump(db) == dump(reference)
    assert fts_state(db) == fts_state(reference)
    assert dump(db)["authors"] == [{"id": 1, "name": "Only In This Batch"},
                                   {"id": 2, "name": "Ada Okafor"}, {"id": 3, "name": "Chen Wei"},
                                   {"id": 4, "name": "Hiro Tanaka"}, {"id": 5, "name": "Ines Duarte"}]
