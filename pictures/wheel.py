"""The annual wheel (årshjul) as a wheel: twelve months around, the events on it.

August is at twelve o'clock and the months run clockwise, so the school year starts at
the top and the cycle (autumn to summer) fills the wheel from there; July and August,
when nothing happens, are the quiet gap at the top where the tracks are named.

Each audience has its own ring (partnerships outermost, then the networks'
coordinators, then the collaboration forum); an event for everyone («alle») is marked
on all three. The shape says the kind: a diamond for a deadline, a dot for a meeting,
a band along the ring for a period (and for a meeting over several days). Passed events
are grey, today is a hand from the centre, and the events that have room get a short
label outside the wheel. `render` is pure; `WheelPictures` keeps what it has drawn, one
picture per cycle, day and format.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from domain.norsk import MONTHS
from domain.wheel import texts
from domain.wheel.models import Cycle, Event

if TYPE_CHECKING:  # matplotlib itself is imported on the first drawing (about 1-2 s here),
    # so starting Kompis, its command line and its process tests do not pay for it
    from matplotlib.figure import Figure
    from matplotlib.transforms import BboxBase

Format = Literal["png", "svg"]
CONTENT_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}

FIRST_MONTH = 8  # August at the top
MONTH_ABBR = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov",
              "des")

# Okabe–Ito colours: told apart also by people who do not see red and green
AUDIENCE_COLOUR = {"partnerskap": "#0072B2", "koordinator": "#E69F00",
                   "samarbeidsforum": "#009E73"}
AUDIENCE_LABEL = {"partnerskap": "Partnerskap", "koordinator": "Nettverk (koordinatorer)",
                  "samarbeidsforum": "Samarbeidsforum"}
TRACK_LABEL = {"partnerskap": "Partnerskap", "koordinator": "Nettverk",
               "samarbeidsforum": "Samarbeidsforum"}
TRACK = {"partnerskap": 0.76, "koordinator": 0.61, "samarbeidsforum": 0.46}
KIND_MARKER = {"frist": "D", "møte": "o", "milepæl": "*"}
KIND_LABEL = texts.KIND  # the legend names the kinds as the cards and the calendar do
DEADLINE_LABEL = {
    "behovsmelding": "Frist behovsmelding",
    "sammenstilt_behovsmelding": "Frist sammenstilt behovsmelding",
    "beslutningsgrunnlag": "Frist beslutningsgrunnlag",
    "rapportering": "Frist rapportering",
}
PASSED = "#B4B4B4"
PASSED_TEXT = "#8C8C8C"
HAND = "#C0392B"
INK = "#222222"
RING_IN, RING_OUT = 0.88, 1.0  # the month ring
HUB = 0.32
LABEL_RADII = (1.06, 1.16, 1.26)  # nearest first; further out when crowded
LABEL_CHARS = 30
TITLE = "Årshjulet {cycle}"
TODAY = "i dag {day}. {month}"
PASSED_LEGEND = "Passert"
TODAY_LEGEND = "I dag"
SIZE_INCHES = (13.0, 10.8)
DPI = 100


def angle(day: date) -> float:
    """Where `day` sits on the wheel, in radians clockwise from the top (1 August)."""
    month = (day.month - FIRST_MONTH) % 12
    days = calendar.monthrange(day.year, day.month)[1]
    return (month + (day.day - 1) / days) / 12 * 2 * math.pi


def cycle_span(cycle: Cycle) -> tuple[date, date]:
    """The year the wheel shows: 1 August of the cycle's first year to 31 July after."""
    first = int(cycle.id[:4])
    return date(first, FIRST_MONTH, 1), date(first + 1, FIRST_MONTH - 1, 31)


def short_label(event: Event) -> str:
    """'15. des Frist behovsmelding', or the title cut at a word to fit."""
    if event.deadline_for:
        what = DEADLINE_LABEL[event.deadline_for]
    elif len(event.title) <= LABEL_CHARS:
        what = event.title
    else:
        cut = event.title[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",;:–-")
        what = cut + "…"
    return f"{event.start.day}. {MONTH_ABBR[event.start.month - 1]} {what}"


def _tracks(event: Event) -> list[str]:
    if "alle" in event.audience:
        return list(TRACK)
    return [a for a in TRACK if a in event.audience]


def _label_priority(event: Event, today: date) -> tuple[int, date]:
    """Coming deadlines first, then coming meetings and milestones, then periods, then
    what has passed."""
    passed = event.last_day < today
    kind = {"frist": 0, "møte": 1, "milepæl": 1, "periode": 2}[event.kind]
    return (kind + (3 if passed else 0), event.start)


def _fits(box: BboxBase, figure: BboxBase, wheel: BboxBase) -> bool:
    """The label lies inside the picture and clear of the wheel (a circle in `wheel`)."""
    if not (figure.x0 <= box.x0 and box.x1 <= figure.x1
            and figure.y0 <= box.y0 and box.y1 <= figure.y1):
        return False
    cx, cy, radius = (wheel.x0 + wheel.x1) / 2, (wheel.y0 + wheel.y1) / 2, wheel.width / 2
    nearest_x = min(max(cx, box.x0), box.x1)
    nearest_y = min(max(cy, box.y0), box.y1)
    return math.hypot(nearest_x - cx, nearest_y - cy) > radius * 1.01


def _draw(cycle: Cycle, today: date) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.projections.polar import PolarAxes

    fig = Figure(figsize=SIZE_INCHES, dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    width = 0.46  # of the figure, centred; the height in figure units that makes it square
    ax: PolarAxes = fig.add_axes(((1 - width) / 2, 0.22, width,
                                  width * SIZE_INCHES[0] / SIZE_INCHES[1]),
                                 projection="polar")  # type: ignore[assignment]
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_ylim(0, RING_OUT)
    ax.set_axis_off()
    full = 2 * math.pi

    # the month ring: twelve wedges, the names inside them, today's month darker
    start, end = cycle_span(cycle)
    in_cycle = start <= today <= end
    for i in range(12):
        month = (FIRST_MONTH - 1 + i) % 12 + 1
        current = in_cycle and month == today.month
        ax.bar(i / 12 * full, RING_OUT - RING_IN, width=full / 12, bottom=RING_IN,
               align="edge", color="#D6E4F0" if current else ("#EFEFEF" if i % 2 else "#E4E4E4"),
               edgecolor="white", linewidth=1.5)
        ax.text((i + 0.5) / 12 * full, (RING_IN + RING_OUT) / 2, MONTH_ABBR[month - 1],
                ha="center", va="center", fontsize=14, color=INK,
                fontweight="bold" if current else "normal")
        ax.plot([i / 12 * full] * 2, [HUB, RING_IN], color="#EAEAEA", linewidth=0.8,
                zorder=0)

    # the audience tracks, named in the quiet gap at the top
    circle = [t / 360 * full for t in range(361)]
    for audience, radius in TRACK.items():
        ax.plot(circle, [radius] * len(circle), color=AUDIENCE_COLOUR[audience],
                linewidth=1.0, alpha=0.35, zorder=1)
        ax.text(0, radius + 0.035, TRACK_LABEL[audience], ha="center", va="bottom",
                fontsize=11, color=AUDIENCE_COLOUR[audience], fontweight="bold")

    # the events, in date order, a mark on each track they concern
    events = sorted(cycle.events, key=lambda e: (e.start, e.last_day, e.id))
    for event in events:
        passed = event.last_day < today
        a0 = angle(event.start)
        for audience in _tracks(event):
            colour = PASSED if passed else AUDIENCE_COLOUR[audience]
            radius = TRACK[audience]
            if event.last_day > event.start:
                a1 = angle(event.last_day)
                if a1 < a0:  # across the top of the wheel (July into August)
                    a1 += full
                steps = max(2, int((a1 - a0) / full * 360))
                ax.plot([a0 + (a1 - a0) * s / steps for s in range(steps + 1)],
                        [radius] * (steps + 1), color=colour, linewidth=9,
                        solid_capstyle="round", alpha=0.55 if event.kind == "periode" else 0.8,
                        zorder=2)
            marker = KIND_MARKER.get(event.kind)
            if marker:
                ax.plot([a0], [radius], marker=marker,
                        markersize={"D": 13, "*": 17}.get(marker, 12),
                        color=colour, markeredgecolor="white", markeredgewidth=1.5,
                        linestyle="none", zorder=4)

    # today as a hand from the hub, when today is in the cycle's year
    if in_cycle:
        now = angle(today)
        ax.plot([now, now], [HUB, RING_OUT], color=HAND, linewidth=3,
                solid_capstyle="round", zorder=6)
        ax.plot([now], [HUB], marker="o", markersize=9, color=HAND, zorder=6)
        ax.plot([now], [RING_OUT], marker="o", markersize=7, color=HAND, zorder=6)

    # the hub: which cycle, and which day
    ax.bar(0, HUB, width=full, bottom=0, color="white", edgecolor="none", zorder=5)
    ax.plot(circle, [HUB] * len(circle), color="#DDDDDD", linewidth=1.0, zorder=5)
    ax.text(0, 0.09, cycle.id, ha="center", va="center", fontsize=20, fontweight="bold",
            color=INK, zorder=7, transform=ax.transData)
    ax.text(math.pi, 0.09, TODAY.format(day=today.day, month=MONTHS[today.month - 1]),
            ha="center", va="center", fontsize=13, color=HAND if in_cycle else PASSED_TEXT,
            zorder=7)

    # the title and the legend first: the labels keep clear of them
    title = fig.text(0.5, 0.9, TITLE.format(cycle=cycle.id), ha="center", va="top",
                     fontsize=26, fontweight="bold", color=INK)
    handles = [
        Line2D([], [], marker="D", color=INK, linestyle="none", markersize=10,
               label=KIND_LABEL["frist"]),
        Line2D([], [], marker="o", color=INK, linestyle="none", markersize=10,
               label=KIND_LABEL["møte"]),
        Line2D([], [], marker="*", color=INK, linestyle="none", markersize=14,
               label=KIND_LABEL["milepæl"]),
        Line2D([], [], color=INK, linewidth=8, alpha=0.55, label=KIND_LABEL["periode"]),
        Line2D([], [], marker="o", color=PASSED, linestyle="none", markersize=10,
               label=PASSED_LEGEND),
        Line2D([], [], color=HAND, linewidth=3, label=TODAY_LEGEND),
        *(Patch(color=AUDIENCE_COLOUR[a], label=AUDIENCE_LABEL[a]) for a in TRACK),
    ]
    legend = fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False,
                        fontsize=14, bbox_to_anchor=(0.5, 0.02), handlelength=1.8,
                        columnspacing=1.6)

    # short labels outside the wheel, as many as fit without touching
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    wheel = ax.get_window_extent(renderer)
    kept: list[BboxBase] = [title.get_window_extent(renderer),
                            legend.get_window_extent(renderer).expanded(1.0, 1.2)]
    for event in sorted(events, key=lambda e: _label_priority(e, today)):
        a = angle(event.start)
        x, y = math.sin(a), math.cos(a)
        ha = "center" if abs(x) < 0.25 else ("left" if x > 0 else "right")
        va = "center" if abs(y) < 0.5 else ("bottom" if y > 0 else "top")
        for radius in LABEL_RADII:
            label = ax.text(a, radius, short_label(event), ha=ha, va=va, fontsize=12,
                            color=PASSED_TEXT if event.last_day < today else INK,
                            fontweight="bold" if event.is_deadline else "normal",
                            clip_on=False)
            box = label.get_window_extent(renderer).expanded(1.03, 1.3)
            if _fits(box, fig.bbox, wheel) and not any(box.overlaps(o) for o in kept):
                kept.append(box)
                break
            label.remove()
    return fig


def render(cycle: Cycle, today: date, fmt: Format = "png") -> bytes:
    """The cycle's wheel as seen on `today`, as PNG or SVG bytes (the same bytes for the
    same cycle, day and format)."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown format {fmt!r}")
    import matplotlib

    matplotlib.use("Agg")  # no display, no GUI toolkit: the server draws into memory
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "kompis-arshjul",
                                "svg.fonttype": "path"}):
        fig = _draw(cycle, today)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, bbox_inches="tight",
                    pad_inches=0.2)
    return buffer.getvalue()


@dataclass(frozen=True)
class Picture:
    body: bytes
    content_type: str
    etag: str  # a strong validator, quoted as HTTP wants it


class WheelPictures:
    """Pictures drawn once per (cycle as it reads now, day, format) and kept: a wheel
    edited in the content file is a new key, and only the newest `keep` are held."""

    def __init__(self, keep: int = 8) -> None:
        self._keep = keep
        self._made: OrderedDict[tuple[str, date, str], Picture] = OrderedDict()
        self._lock = threading.Lock()  # the kept pictures: held only to look up and store
        self._drawing = threading.Lock()  # one drawing at a time (held while drawing)
        self.drawn = 0  # how many pictures were actually drawn (the rest came from memory)

    @staticmethod
    def _key(cycle: Cycle, today: date, fmt: str) -> tuple[str, date, str]:
        digest = hashlib.sha256(cycle.model_dump_json().encode()).hexdigest()[:16]
        return (digest, today, fmt)

    def _kept(self, key: tuple[str, date, str]) -> Picture | None:
        with self._lock:
            found = self._made.get(key)
            if found is not None:
                self._made.move_to_end(key)
            return found

    def cached(self, cycle: Cycle, today: date, fmt: Format) -> Picture | None:
        """The kept picture, if any; never waits for a drawing (safe in the event loop)."""
        return self._kept(self._key(cycle, today, fmt))

    def get(self, cycle: Cycle, today: date, fmt: Format = "png") -> Picture:
        """The picture, drawn now if it is not kept already (blocking: call it in a
        worker thread from async code). Requests that arrive while it is being drawn
        wait for that drawing instead of making their own."""
        key = self._key(cycle, today, fmt)
        found = self._kept(key)
        if found is not None:
            return found
        with self._drawing:
            found = self._kept(key)
            if found is not None:
                return found
            body = render(cycle, today, fmt)
            picture = Picture(body, CONTENT_TYPES[fmt],
                              '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
            with self._lock:
                self.drawn += 1
                self._made[key] = picture
                while len(self._made) > self._keep:
                    self._made.popitem(last=False)
            return picture

