"""The wheel drawn as a wheel: a picture for every cycle in the content, the hand only
when today is in the cycle's year, labels that fit, and one drawing per day."""

from __future__ import annotations

import io
import math
import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from PIL import Image

from cards.wheel import picture_alt, wheel_card
from domain.wheel.loader import load_wheel
from domain.wheel.models import Cycle
from pictures.wheel import DPI, HAND, SIZE_INCHES, WheelPictures, angle, render, short_label

WHEEL = load_wheel()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_MAGIC
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _hand_pixels(png: bytes) -> int:
    """Pixels in the hand's colour above the legend (which shows the hand too)."""
    red, green, blue = (int(HAND[i:i + 2], 16) for i in (1, 3, 5))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.crop((0, 0, image.width, int(image.height * 0.85)))  # not the legend
    return sum(1 for pixel in image.getdata() if pixel == (red, green, blue))


@pytest.mark.parametrize("cycle", WHEEL.cycles, ids=lambda c: c.id)
def test_every_cycle_is_drawn(cycle: Cycle) -> None:
    middle = cycle.first_day + (cycle.last_day - cycle.first_day) / 2
    png = render(cycle, middle, "png")
    width, height = _size(png)  # cropped to what is drawn, inside the figure
    assert 900 <= width <= SIZE_INCHES[0] * DPI and 700 <= height <= SIZE_INCHES[1] * DPI
    assert 20_000 < len(png) < 600_000
    Image.open(io.BytesIO(png)).verify()
    svg = render(cycle, middle, "svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg[:2000]
    assert svg.rstrip().endswith(b"</svg>")


def test_the_hand_is_there_only_in_the_cycles_year() -> None:
    cycle = WHEEL.cycles[0]
    inside = _hand_pixels(render(cycle, date(2026, 12, 3)))
    assert inside > 300  # a hand from the hub to the rim, and the day in the hub
    outside = _hand_pixels(render(cycle, date(2029, 12, 3)))
    assert outside == 0


def test_same_cycle_and_day_give_the_same_bytes() -> None:
    cycle = WHEEL.cycles[0]
    assert render(cycle, date(2026, 12, 3), "svg") == render(cycle, date(2026, 12, 3), "svg")
    assert render(cycle, date(2026, 12, 3)) == render(cycle, date(2026, 12, 3))
    assert render(cycle, date(2026, 12, 3)) != render(cycle, date(2026, 12, 4))


def test_months_go_clockwise_from_august_at_the_top() -> None:
    assert angle(date(2026, 8, 1)) == 0
    assert angle(date(2026, 11, 1)) == pytest.approx(math.pi / 2)
    assert angle(date(2027, 2, 1)) == pytest.approx(math.pi)
    assert angle(date(2027, 5, 1)) == pytest.approx(3 * math.pi / 2)
    assert angle(date(2026, 12, 15)) < angle(date(2027, 1, 10)) < angle(date(2027, 7, 31))


def test_short_labels() -> None:
    cycle = WHEEL.cycles[0]
    deadline = cycle.deadline("behovsmelding")
    assert deadline is not None
    assert short_label(deadline) == "15. des Frist behovsmelding"
    long = cycle.event("nettverksmoter-uke-43")
    assert long is not None
    label = short_label(long)
    assert label.startswith("19. okt Digitale møter") and label.endswith("…")
    assert len(label) <= len("19. okt ") + 31


def test_pictures_are_drawn_once_per_day_and_format() -> None:
    pictures = WheelPictures(keep=2)
    cycle = WHEEL.cycles[0]
    first = pictures.get(cycle, date(2026, 12, 3), "png")
    again = pictures.get(cycle, date(2026, 12, 3), "png")
    assert again is first and pictures.drawn == 1
    assert pictures.cached(cycle, date(2026, 12, 3), "png") is first
    svg = pictures.get(cycle, date(2026, 12, 3), "svg")
    assert svg.content_type == "image/svg+xml" and svg.etag != first.etag
    next_day = pictures.get(cycle, date(2026, 12, 4), "png")
    assert pictures.drawn == 3 and next_day.etag != first.etag
    assert first.etag.startswith('"') and first.etag.endswith('"')
    assert pictures.cached(cycle, date(2026, 12, 3), "png") is None  # only two are kept


def test_the_card_shows_the_picture_first_with_the_next_events() -> None:
    cycle = WHEEL.cycles[0]
    url = "https://kompis.example.no/arshjul.png?dag=2026-12-08"
    card = wheel_card(cycle, date(2026, 12, 8), "https://kompis.example.no/c.ics", url)
    image = card["body"][0]
    assert image["type"] == "Image" and image["url"] == url
    assert image["altText"].startswith("Årshjulet 2026/2027 tegnet som et hjul")
    assert "15. desember: frist, Partnerskapene leverer behovsmeldingen" in image["altText"]
    assert "Samling for samarbeidsforum" not in image["altText"]  # September has passed
    no_picture = wheel_card(cycle, date(2026, 12, 8), "https://kompis.example.no/c.ics")
    assert no_picture["body"][0]["type"] != "Image"
    assert picture_alt(cycle, date(2027, 7, 1)).endswith("Alle hendelsene er passert.")


def test_requests_at_once_share_one_drawing() -> None:
    pictures = WheelPictures()
    cycle = WHEEL.cycles[0]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: pictures.get(cycle, date(2027, 1, 5), "svg"), range(4)))
    assert pictures.drawn == 1 and all(p is got[0] for p in got)
