"""The one base class of the application's refusals (docs/architecture.md#errors).

A service raises a subclass when a rule refuses a write; its message is written for the person who
asked, in words they can act on. Views catch it and show the message; one that escapes a view is
turned into a message by `coachapp.middleware.AppErrorMiddleware`, never into a server error.
The pure cores raise `ValueError`s of their own (they import nothing of the apps).
"""


class AppError(Exception):
    """A write the application refuses; `str(error)` says why, for the person who asked."""
