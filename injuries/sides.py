"""An injury's side in words, the one way every page and message says it.

The stored side is "left", "right" or "both" (injuries.triage.Side); a page says which leg or
which hamstring: "left leg", "right hamstring", "both legs", "both hamstrings". Plain Python, so
the timeline geometry (injuries/timeline.py) may use it too.
"""

SIDES = ("left", "right")


def side_words(side: str, part: str = "leg") -> str:
    """The side with the body part it names: "left leg", "both hamstrings".

    A part that starts with "the " keeps its article where English needs one: "the left
    hamstring", but "both hamstrings".
    """
    noun = part.removeprefix("the ")
    article = "the " if noun != part else ""
    if side in SIDES:
        return f"{article}{side} {noun}"
    if side == "both":
        return f"both {noun}s"
    return f"{article}{noun}"
