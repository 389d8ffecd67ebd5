"""The error every document reader raises."""


class DocumentError(ValueError):
    """A document that cannot be read, with the reason in words."""
