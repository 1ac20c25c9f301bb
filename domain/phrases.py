"""Where a command's words can end at the start of a typed message.

The command router (dialogs/commands.py) and the question engine (domain/answers) both
read a message as «the command's words, then its arguments»; they split it the same way,
here.
"""

from __future__ import annotations

from collections.abc import Iterator


def splits(normalized: str) -> Iterator[tuple[str, str]]:
    """(head, rest) for every word boundary of a normalized message, the longest head
    first and the whole message first of all: 'legg til kari' -> ('legg til kari', ''),
    ('legg til', 'kari'), ('legg', 'til kari'). `rest` is stripped."""
    ends = [i for i, ch in enumerate(normalized) if ch == " "]
    ends.append(len(normalized))
    for end in reversed(ends):
        yield normalized[:end], normalized[end:].strip()
