"""Domain errors: raised by services, turned into a field message or a flash by views."""


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is a lazy-translated string."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class AccessDenied(DomainError):
    """The actor may not do this (views answer 403)."""


class ConflictError(DomainError):
    """Someone else changed the record first (optimistic locking)."""
