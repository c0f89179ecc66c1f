"""The error a user can fix, shared by the runner, the write lock and recovery.

Its own module so that the write lock and recovery, which the runner uses, need not import the
runner back.
"""


class CrawlError(Exception):
    """A problem the user can fix; shown as one line, never a traceback."""
