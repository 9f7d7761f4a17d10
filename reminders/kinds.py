"""How each kind of reminder is worded, filled in by the apps that schedule the kinds.

The engine delivers rows and knows no domain rules and no other app's pages
(docs/architecture.md#background-work). Each app registers the wording of its kinds in its
`AppConfig.ready()`; `services.deliver` asks here for the title, body and link of each reminder.

A message is a function of the Reminder row (its recipient, athlete, injury and session already
loaded) that returns {"title": ..., "body": ..., "url": ...}.
"""

from collections.abc import Callable

Message = Callable[[object], dict]

# kind -> {about: message}; about "" is the kind's wording, "session" or "injury" the wording of
# the reminders of that kind that are about one.
_messages: dict[str, dict[str, Message]] = {}


def register(kind: str, *, message: Message, about: str = "") -> None:
    """Word the reminders of `kind` with `message`.

    With `about` (a field of the reminder: "session" or "injury"), only those about one: a pain
    alert after a session links to the programme, one after a report to a new complaint.
    Registering the same function again does nothing; another one for the same place is an error.
    """
    wordings = _messages.setdefault(str(kind), {})
    if wordings.get(about, message) is not message:
        raise ValueError(f"the {kind} reminders{f' about a {about}' if about else ''} already have a wording")
    wordings[about] = message


def registered() -> set[str]:
    """The kinds that have a wording."""
    return {kind for kind, wordings in _messages.items() if "" in wordings}


def message(reminder) -> dict:
    """The title, body and link of one reminder, in the words of the app that schedules its kind."""
    wordings = _messages.get(reminder.kind, {})
    about = next((field for field in wordings if field and getattr(reminder, f"{field}_id")), "")
    if about not in wordings:
        raise LookupError(f"no wording registered for {reminder.kind} reminders (reminders/kinds.py)")
    return wordings[about](reminder)
