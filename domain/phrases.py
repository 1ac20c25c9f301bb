"""How a typed message is read alike by the command router (dialogs/) and the question
engine (domain/answers): where a command's words can end at the start of a message (both
read a message as «the command's words, then its arguments»), and the new name in a rename
asked for in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def splits(normalized: str) -> Iterator[tuple[str, str]]:
    """(head, rest) for every word boundary of a normalized message, the longest head
    first and the whole message first of all: 'legg til kari' -> ('legg til kari', ''),
    ('legg til', 'kari'), ('legg', 'til kari'). `rest` is stripped."""
    ends = [i for i, ch in enumerate(normalized) if ch == " "]
    ends.append(len(normalized))
    for end in reversed(ends):
        yield normalized[:end], normalized[end:].strip()


# A new name asked for in plain words: what follows 'til', 'hete', 'skal være', ':' …,
# starting with a capital, maybe quoted ('bytt navn på partnerskapet til «Fosen
# barnehager»', 'partnerskapet skal hete Indre Fosen', 'rename it to …'). 'Vi slo oss
# sammen med Ørland' names no new name; neither does 'skal hete noe annet'. The question
# engine asks whether a message carries one (to do the rename command rather than explain
# it), the rename dialog takes the name from it: one reading, so what the engine sends on
# the dialog can take.
NAME_CUE = re.compile(r"(?i:\b(?:til|to|hete|heite|heter|heiter|kalles|kallast|called|være|"
                      r"vere|blir|bli|as)\b|:)\s*(?=[«\"'“‘]?[A-ZÆØÅ])")
NAME_QUOTES = "«»\"'“”‘’ "
NOT_NAMES = frozenset({"kompis", "i", "teams"})  # capitals that name no partnership


def new_name(typed: str) -> str:
    """The new name in a message as typed ('' when it names none): the rest of the message
    after the first cue followed by a name, quotes and end punctuation stripped."""
    for cue in NAME_CUE.finditer(typed):
        name = typed[cue.end():].strip(NAME_QUOTES + ".!?")
        first = re.match(r"\w+", name)
        if first and first.group().lower() not in NOT_NAMES:
            return name
    return ""
