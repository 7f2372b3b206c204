"""Domain errors: raised by services, each carrying its HTTP status. AccessDenied is answered by
the app (403, icrs/web.py); views show the others with `core.views.show_refusal`."""


class DomainError(Exception):
    """A rule of the domain refused the action. `message` is a lazy-translated string."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class AccessDenied(DomainError):
    """The actor may not do this (the app answers 403, after a rollback)."""

    status = 403


class ConflictError(DomainError):
    """Someone else changed the record first (optimistic locking), or its state moved on."""

    status = 409


class IllegalTransition(Exception):
    """A state machine (people.states, referrals.states) has no such move for this role. Pure
    Python, raised by the states modules; services turn it into a DomainError or a conflict."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
