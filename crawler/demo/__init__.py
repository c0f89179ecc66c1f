"""The bundled demo news site: a fictional local paper served on 127.0.0.1.

``DemoServer`` serves it (tests, ``newsarchive demo``); ``manifest()`` says what it serves.
"""

from crawler.demo.manifest import manifest
from crawler.demo.server import DemoServer, serve_forever

__all__ = ["DemoServer", "manifest", "serve_forever"]
