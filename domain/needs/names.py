"""Partnership names as people type them, and as they may be faked.

`clean_name` is applied before a name is stored or compared: NFKC, and no invisible
characters (zero-width spaces, joiners, soft hyphens, bidi controls: Unicode category
Cf). `skeleton` follows the idea of Unicode TS #39: a character from another script
that looks like a Latin one (Cyrillic «а», Greek «ο») is replaced by that Latin one, so
«Ørlаnd» with a Cyrillic а and «Ørland» get the same skeleton. The look-alike data is
Unicode's confusables table as shipped by `confusable_homoglyphs`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables


def clean_name(name: str) -> str:
    """NFKC, invisible and control characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Cs"))
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def _latin(ch: str) -> str:
    if ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
        return ch
    found = confusables.is_confusable(ch, preferred_aliases=["latin"])
    if not found:
        return ch
    for glyph in found[0]["homoglyphs"]:
        if glyph["n"].startswith("LATIN") and len(glyph["c"]) == 1:
            return glyph["c"].casefold()
    return ch


def skeleton(name: str) -> str:
    """What the name looks like: cleaned, case-folded, look-alikes made Latin."""
    return "".join(_latin(ch) for ch in clean_name(name).casefold()).replace(" ", "")


def lookalike(name: str, existing: list[str]) -> str | None:
    """The existing name that `name` looks like without being it, if any."""
    key, shape = clean_name(name).casefold(), skeleton(name)
    for other in existing:
        if clean_name(other).casefold() != key and skeleton(other) == shape:
            return other
    return None
