"""The capture travels as one immutable ``Capture`` from the WARC middleware to the dataset; it
becomes plain values only at the edges: SQL, and the queues a request can be written to."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from archive.capture import Capture
from crawler.scaleout import redis_json

CAPTURE = Capture(url="http://news.test/a", status=301, mime="text/html", fetched_at="2026-11-24T02:19:00.123456Z",
                  filename="newsarchive-20261124-x.warc.gz", offset=1234, length=567,
                  record_id="<urn:uuid:00000000-0000-0000-0000-000000000001>", payload_digest="sha1:ABC",
                  refers_to=None, ip="127.0.0.1", truncated=None,
                  request_record_id="<urn:uuid:00000000-0000-0000-0000-000000000002>")


def test_a_capture_cannot_be_changed_by_whoever_reads_it():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CAPTURE.status = 200
    assert Capture.from_dict(CAPTURE.to_dict()) == CAPTURE
    assert Capture.not_archived("http://news.test/b", "2026-11-24T02:19:00Z").record_id is None


def test_a_redirected_request_carrying_the_capture_survives_the_request_queues():
    """A redirect or a retry copies ``meta["warc"]`` (the capture of the response that caused it)
    into the new request, which the scheduler may write to Redis (JSON) or to JOBDIR (pickle)."""
    redirected = Request("http://news.test/a", meta={"warc": CAPTURE, "hints": {"depth": 1}}).replace(
        url="http://news.test/b")
    assert redirected.meta["warc"] is CAPTURE  # what Scrapy's redirect middleware does
    through_redis = request_from_dict(redis_json.loads(redis_json.dumps(redirected.to_dict())))
    assert through_redis.meta == {"warc": CAPTURE, "hints": {"depth": 1}}
    assert isinstance(through_redis.meta["warc"], Capture)
    assert pickle.loads(pickle.dumps(redirected.to_dict()))["meta"]["warc"] == CAPTURE
    with pytest.raises(TypeError, match="cannot queue a request carrying object"):
        redis_json.dumps({"meta": {"x": object()}})
