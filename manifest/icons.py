"""Draw Kompis' Teams icons: `python manifest/icons.py` rewrites color.png and outline.png.

A speech bubble (Kompis answers in chat) holding a small wheel (the årshjul). The colour
icon is 192x192 on the accent colour; the outline icon is 32x32, white on transparent,
as Teams requires.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = (46, 107, 94, 255)  # #2E6B5E, also the manifest's accentColor
WHITE = (255, 255, 255, 255)


def _bubble(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], radius: int,
            tail: list[tuple[int, int]], **style: object) -> None:
    draw.rounded_rectangle(box, radius=radius, **style)
    draw.polygon(tail, **{k: v for k, v in style.items() if k == "fill"})


def _wheel(draw: ImageDraw.ImageDraw, centre: tuple[float, float], r: float, colour: tuple,
           width: int, spokes: int = 8) -> None:
    cx, cy = centre
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=colour, width=width)
    for i in range(spokes):
        angle = 2 * math.pi * i / spokes
        draw.line((cx, cy, cx + r * math.cos(angle), cy + r * math.sin(angle)),
                  fill=colour, width=max(1, width // 2))
    hub = max(2.0, r / 5)
    draw.ellipse((cx - hub, cy - hub, cx + hub, cy + hub), fill=colour)


def color_icon() -> Image.Image:
    size, scale = 192, 4  # drawn large, scaled down for smooth edges
    big = Image.new("RGBA", (size * scale, size * scale), ACCENT)
    draw = ImageDraw.Draw(big)
    s = scale
    _bubble(draw, (30 * s, 34 * s, 162 * s, 136 * s), 26 * s,
            [(58 * s, 130 * s), (50 * s, 162 * s), (90 * s, 134 * s)], fill=WHITE)
    _wheel(draw, (96 * s, 85 * s), 34 * s, ACCENT, 7 * s)
    return big.resize((size, size), Image.LANCZOS)


def outline_icon() -> Image.Image:
    size, scale = 32, 8
    big = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    s = scale
    draw.rounded_rectangle((3 * s, 4 * s, 29 * s, 23 * s), radius=5 * s, outline=WHITE,
                           width=2 * s)
    draw.polygon([(8 * s, 22 * s), (7 * s, 29 * s), (14 * s, 22 * s)], fill=WHITE)
    _wheel(draw, (16 * s, 13.5 * s), 5.5 * s, WHITE, int(1.5 * s), spokes=6)
    small = big.resize((size, size), Image.LANCZOS)
    # Teams wants pure white on full transparency: snap every pixel to one or the other.
    alpha = small.getchannel("A").point(lambda a: 255 if a >= 128 else 0)
    white = Image.new("RGBA", (size, size), WHITE)
    return Image.composite(white, Image.new("RGBA", (size, size), (0, 0, 0, 0)), alpha)


def main() -> None:
    color_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)
    print("Skrev manifest/color.png og manifest/outline.png")


if __name__ == "__main__":
    main()
