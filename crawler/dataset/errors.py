"""One exception type for everything a user can get wrong about a dataset."""


class DatasetError(Exception):
    """A one-line, user-facing problem (missing file, bad query, newer schema...).

    Commands turn it into ``Error: <message>`` without a traceback.
    """
