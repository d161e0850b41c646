"""The characters no entry may hold: invisible ones, and those that reorder text or control a
terminal. They could make a file say one thing to its reviewer and another to readers."""

from __future__ import annotations

import re

# Controls (Cc, but tab and line breaks), format characters (Cf: bidirectional overrides,
# zero-width spaces, soft hyphens...), line and paragraph separators, private-use and surrogate
# code points, noncharacters, and the blank fillers that look like nothing.
# tests/test_document.py checks this list against Python's Unicode data.
INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c"
    "\u06dd\u070f\u0890-\u0891\u08e2\u115f-\u1160\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\u2800\u3164\ud800-\uf8ff\ufdd0-\ufdef\ufeff\uffa0"
    "\ufff9-\ufffb\ufffe-\uffff\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U0001fffe-\U0001ffff\U0002fffe-\U0002ffff"
    "\U0003fffe-\U0003ffff\U0004fffe-\U0004ffff\U0005fffe-\U0005ffff\U0006fffe-\U0006ffff"
    "\U0007fffe-\U0007ffff\U0008fffe-\U0008ffff\U0009fffe-\U0009ffff\U000afffe-\U000affff"
    "\U000bfffe-\U000bffff\U000cfffe-\U000cffff\U000dfffe-\U000dffff\U000e0001"
    "\U000e0020-\U000e007f\U000efffe-\U0010ffff]"
)


_SEEN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def any_invisible(raw: bytes, text: str) -> bool:
    """Whether `text` (decoded from `raw`) holds a character of INVISIBLE. The expression's
    scan costs a quarter of a millisecond an entry; most files are ASCII, whose every
    character is checked at once, and others are checked one distinct character each."""
    if raw.isascii():
        return bool(raw.translate(None, _SEEN_ASCII))
    return INVISIBLE.search("".join(set(text))) is not None
