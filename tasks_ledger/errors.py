"""The one family of domain errors. Services raise them; nothing here knows about HTTP.

Two mappers turn them into answers, each in one place: `disclosure/errors.py` for the
browser's pages (a "refused" page: 403, 409 or 400) and `tasks_ledger/api/exceptions.py`
for the API's error shape. A view catches one only when it has something better to show
than the refused page (a form with the errors on its fields, both versions side by side).

    DomainError         message for people
      NotAllowed        the user may see this but not do that          403
      Locked            the object's state no longer allows it         409
      Conflict          someone saved since the writer read it         409
      Invalid           bad input: `errors` maps fields to messages    400

`Locked` and `Conflict` carry `current`, the object as stored now (None: it is gone), so a
caller can show it beside the writer's own change; any error may carry it. Every concern
subclasses these for its own names (`ledger.services.EntryLocked`, …) and sits above this
module.
"""

NON_FIELD = "__all__"


class DomainError(Exception):
    """Base of the family: `message` is for the person who tried; `code` for programs;
    `current`, when given, the object the refusal is about as stored now (a page links
    back to it; a 409 shows it beside the writer's change)."""

    code = "error"

    def __init__(self, message: str = "", *, current=None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.current = current
        if code:
            self.code = code


class NotAllowed(DomainError):
    """The user may see this but not do that (403)."""

    code = "permission_denied"


class Locked(DomainError):
    """The object's state does not allow this any more (409)."""

    code = "locked"


class Conflict(Locked):
    """Someone saved the object after the writer read it (409, with the stored one)."""

    code = "conflict"


class Invalid(DomainError):
    """Bad input (400): `errors` maps field names (NON_FIELD: the request as a whole) to
    messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]], *, code: str | None = None):
        super().__init__(" ".join(m for messages in errors.values() for m in messages), code=code)
        self.errors = errors

    @classmethod
    def about(cls, field: str | None, message: str, **kwargs):
        """One message about one field (None: the request as a whole)."""
        return cls({field or NON_FIELD: [message]}, **kwargs)

    def within(self, prefix: str) -> "Invalid":
        """The same errors with their fields named inside `prefix` ("evidence.0.")."""
        return Invalid(
            {f"{prefix}{name}": messages for name, messages in self.errors.items()},
            code=self.code,
        )
