"""Text people typed, shown literally where Teams renders markdown (cards and messages)."""

from __future__ import annotations


def escape_markdown(value: str) -> str:
    """Show user-typed text literally: Teams renders markdown in TextBlocks and facts."""
    out = []
    for ch in value:
        if ch in "\\`*_{}[]()<>#+-.!|~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)
