"""Datasette as ``newsarchive browse`` runs it: ``python -m crawler.dataset.datasette_serve ARGS``.

Three things differ from ``datasette serve``: the console has uvicorn's one line per request and
no traceback box (Datasette prints one, locals included, for every 404 when ``rich`` is
importable); every request that could write (anything but GET, HEAD and OPTIONS) is answered
403 before Datasette sees it, where its write API answers 500 on a read-only file; and the
arguments are Datasette's own, so ``browse`` builds them as before.
"""

from __future__ import annotations

import sys

from datasette import hookimpl

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
FORBIDDEN = b'{"ok": false, "error": "read-only: the archive is browsed here, not changed", "status": 403}'


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope.get("method", "GET") not in READ_METHODS:
                await send({"type": "http.response.start", "status": 403,
                            "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                        (b"content-length", str(len(FORBIDDEN)).encode())]})
                await send({"type": "http.response.body", "body": FORBIDDEN})
                return
            await app(scope, receive, send)
        return read_only
    return wrap


def main(argv: list[str]) -> None:
    import types

    from datasette.plugins import pm  # first: it imports the default plugins, handle_exception too
    from datasette import handle_exception  # noqa: I001
    from datasette.cli import cli

    handle_exception.rich = None  # the request's own log line says enough (status and path)
    handle_exception.traceback = types.SimpleNamespace(print_exc=lambda: None)
    pm.register(sys.modules[__name__], name="newsarchive-read-only")
    cli.main(["serve", *argv], prog_name="datasette")


if __name__ == "__main__":
    main(sys.argv[1:])
