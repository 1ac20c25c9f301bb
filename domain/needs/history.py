"""What changed between two versions of a needs report, said in Norwegian.

The store keeps every version as a whole snapshot; `historikk BM-…` shows the
differences so a coordinator can see who changed what after a report was reopened.
"""

from __future__ import annotations

from domain.needs import texts
from domain.needs.models import Header, Measure, NeedsReport
from domain.norsk import format_nok

ACTIONS = {
    "create": "opprettet",
    "header.edit": "endret partnerskapsopplysningene",
    "measure.add": "la til et tiltak",
    "measure.edit": "endret et tiltak",
    "measure.remove": "fjernet et tiltak",
    "measure.step": "skrev steg 1 av et tiltak",
    "measure.discard": "forkastet et påbegynt tiltak",
    "submit": "sendte inn",
    "reopen": "gjenåpnet",
    "rename": "ga partnerskapet nytt navn",
}


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def _fields(model: Header | Measure, other: Header | Measure) -> list[str]:
    """Labels of the fields whose values differ (the measure id is not a field)."""
    changed = []
    for name in type(model).model_fields:
        if name == "id":
            continue
        if getattr(model, name) != getattr(other, name):
            changed.append(texts.LABELS.get(name, name).lower())
    return changed


def changes(before: NeedsReport | None, after: NeedsReport) -> list[str]:
    """One line per change from `before` to `after` (None: the report was created)."""
    if before is None:
        return [f"Opprettet for {after.header.scheme} {after.header.cycle}"]
    lines: list[str] = []
    header = _fields(before.header, after.header)
    if before.header.partnership_name != after.header.partnership_name:
        lines.append(f"Nytt navn på partnerskapet: «{before.header.partnership_name}» → "
                     f"«{after.header.partnership_name}»")
        header = [f for f in header
                  if f != texts.LABELS.get("partnership_name", "partnership_name").lower()]
    if header:
        lines.append("Endret " + ", ".join(header))
    old = {m.id: m for m in before.measures}
    new = {m.id: m for m in after.measures}
    for measure in after.measures:
        if measure.id not in old:
            lines.append(f"La til tiltaket «{measure.title}» ({format_nok(measure.amount)})")
        elif old[measure.id] != measure:
            fields = _fields(old[measure.id], measure)
            lines.append(f"Endret tiltaket «{measure.title}»: {', '.join(fields)}")
    lines += [f"Fjernet tiltaket «{m.title}»" for m in before.measures if m.id not in new]
    held = {p.id: p for p in before.pending}
    lines += [f"Skrev steg 1 av tiltaket «{p.title}»" for p in after.pending
              if held.get(p.id) != p]
    kept = {p.id for p in after.pending} | set(new)
    lines += [f"Forkastet det påbegynte tiltaket «{p.title}»" for p in before.pending
              if p.id not in kept]
    if before.status != after.status:
        lines.append(f"Status: {before.status.value} → {after.status.value}")
    if after.reference and after.reference != before.reference:
        lines.append(f"Fikk referansen {after.reference}")
    return lines
