"""User text made safe to show in a terminal.

Names, notes and titles come from files anyone could have written.  Control
characters and escape sequences (``\\x1b]0;…``, ``\\x1b]52;…``, CSI, C1 codes) must
never reach the terminal, and bidi overrides must not reorder what is shown.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re

# C0 controls but tab/newline, DEL, C1 controls, bidi embedding/override/isolate marks
UNSAFE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
BREAKS = r"[\r\n\t\u2028\u2029\x85]+"
JSON_UNSAFE = r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
# Every character these match is one ``str.isprintable`` refuses (categories Cc, Cf,
# Zl, Zp), so printable text -- nearly every title, name and path -- is returned as it
# is without a regex; the patterns are compiled when first needed (~1.4 ms together,
# a tenth of a quick command's own work).
_COMPILED: dict[str, re.Pattern[str]] = {}


def _pattern(source: str) -> re.Pattern[str]:
    if source not in _COMPILED:
        import re

        _COMPILED[source] = re.compile(source)
    return _COMPILED[source]


def _picture(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL …
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def clean(text: object, *, oneline: bool = True) -> str:
    """Text with every control character made visible and harmless.

    ``oneline`` also folds line breaks and tabs into single spaces (for table cells).
    """
    value = "" if text is None else str(text)
    if value.isprintable():
        return value  # nothing either pattern matches
    if oneline:
        value = _pattern(BREAKS).sub(" ", value)
    else:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _pattern(UNSAFE).sub(_picture, value)


def json_safe(encoded: str) -> str:
    """Escape, inside JSON text, the characters ``json.dumps`` leaves raw but a
    terminal would act on (DEL, C1 controls, bidi overrides)."""
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded  # the one ASCII character the pattern matches is DEL
    return _pattern(JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group(0)):04x}", encoded)


# ------------------------------------------------------------------ display width

_ZERO_WIDTH = {"Mn", "Me", "Cf"}  # combining marks, zero-width joiners and marks


def char_width(char: str) -> int:
    """The cells one character takes in a terminal: 2 for East Asian wide and
    full-width characters (CJK, most emoji), 0 for combining and format marks, else 1."""
    if char < "\u0300":  # ASCII and Latin-1: the common case
        return 1
    import unicodedata  # here: most text is ASCII, and a quick command starts without it

    if unicodedata.category(char) in _ZERO_WIDTH:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The cells ``text`` takes in a terminal (see ``char_width``)."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells (ending in "…" when cut), then padded
    with spaces to exactly ``width`` cells: the columns of a table line up whatever
    the script or emoji in the cells."""
    used = display_width(text)
    if used > width:
        kept, used = [], 0
        for char in text:
            cells = char_width(char)
            if used + cells > width - 1:
                break
            kept.append(char)
            used += cells
        text = "".join(kept) + "…"
        used += 1
    return text + " " * (width - used)
