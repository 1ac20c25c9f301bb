"""Draw Kompis' Teams icons: `.venv/bin/python manifest/icons.py` rewrites color.png and
outline.png beside this file.

The mark is a speech bubble (Kompis answers in chat) holding a wheel (the årshjul). The
colour icon is 192x192 on the accent colour, drawn four times larger and scaled down for
smooth edges. The outline icon is 32x32 and drawn pixel by pixel without anti-aliasing, so
every pixel is either pure white or fully transparent, which is what Teams asks for; a
scaled-down drawing would leave grey, half-transparent edges.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = (46, 107, 94, 255)  # #2E6B5E, the manifest's accentColor (a test keeps them equal)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
COLOR_SIZE = 192
OUTLINE_SIZE = 32


def color_icon() -> Image.Image:
    """192x192: a white bubble with an accent-coloured eight-spoke wheel on the accent colour."""
    scale = 4
    s = scale
    big = Image.new("RGBA", (COLOR_SIZE * s, COLOR_SIZE * s), ACCENT)
    draw = ImageDraw.Draw(big)
    draw.rounded_rectangle((30 * s, 34 * s, 162 * s, 136 * s), radius=26 * s, fill=WHITE)
    draw.polygon([(58 * s, 130 * s), (50 * s, 162 * s), (90 * s, 134 * s)], fill=WHITE)
    cx, cy, r, width = 96 * s, 85 * s, 34 * s, 7 * s
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ACCENT, width=width)
    for i in range(8):
        angle = 2 * math.pi * i / 8
        draw.line((cx, cy, cx + r * math.cos(angle), cy + r * math.sin(angle)),
                  fill=ACCENT, width=width // 2)
    hub = 7 * s
    draw.ellipse((cx - hub, cy - hub, cx + hub, cy + hub), fill=ACCENT)
    return big.resize((COLOR_SIZE, COLOR_SIZE), Image.LANCZOS)


def outline_icon() -> Image.Image:
    """32x32: the same bubble and wheel as white lines on full transparency, pixel-aligned."""
    image = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), CLEAR)
    draw = ImageDraw.Draw(image)  # at 1x Pillow draws without anti-aliasing
    draw.rounded_rectangle((2, 3, 29, 23), radius=6, outline=WHITE, width=2)
    draw.polygon([(7, 22), (6, 29), (13, 22)], fill=WHITE)
    cx, cy, r = 16, 13, 6  # a pixel centre, so the spokes are symmetric
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=2)
    draw.line((cx - r, cy, cx + r, cy), fill=WHITE)
    draw.line((cx, cy - r, cx, cy + r), fill=WHITE)
    draw.rectangle((cx - 1, cy - 1, cx + 1, cy + 1), fill=WHITE)
    return image


def main() -> None:
    """Write both icons next to the manifest."""
    color_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)
    print("Skrev manifest/color.png og manifest/outline.png")


if __name__ == "__main__":
    main()
