"""A JSON serializer for scrapy-redis queues (``SCHEDULER_SERIALIZER``).

scrapy-redis pickles requests by default, and unpickling what is read from Redis runs code for
anyone who can write to that Redis.  Requests are plain data, so JSON with
base64 for bytes carries them just as well and cannot execute anything. One object of ours rides
in a request's meta: a redirect or a retry copies the capture of the response that caused it
(``meta["warc"]``, an ``archive.capture.Capture``); it travels as its fields.
"""

from __future__ import annotations

import base64
import json

from archive.capture import Capture

_BYTES = "__b64__"
_CAPTURE = "__capture__"


def _encode(value):
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, Capture):
        return {_CAPTURE: _encode(value.to_dict())}
    if isinstance(value, dict):
        return {(k.decode("latin-1") if isinstance(k, bytes) else str(k)): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot queue a request carrying {type(value).__name__} in its meta")


def _decode(value):
    if isinstance(value, dict):
        if len(value) == 1 and _BYTES in value:
            return base64.b64decode(value[_BYTES])
        if len(value) == 1 and _CAPTURE in value:
            return Capture.from_dict(_decode(value[_CAPTURE]))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(obj) -> str:
    return json.dumps(_encode(obj), separators=(",", ":"))


def loads(data):
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return _decode(json.loads(data))
