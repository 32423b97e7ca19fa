"""Draw netral's PNG icons (browser extension and installable web app) from the favicon's
design: a white "N" and bar on the dark teal square. Run once after changing the design:
``python tools/make_icons.py``; the PNGs are committed (Pillow is not needed at run time)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1] / "src" / "netral"
BG, FG = (20, 50, 63, 255), (255, 255, 255, 255)


def icon(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 8  # draw large, then shrink: smooth edges without an SVG renderer
    s = size * scale
    im = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    if maskable:  # full bleed; the glyph stays inside the 80 % safe zone
        d.rectangle((0, 0, s, s), fill=BG)
        pad = s * 0.2
    else:
        d.rounded_rectangle((0, 0, s - 1, s - 1), radius=s * 6 // 32, fill=BG)
        pad = 0.0
    u = (s - 2 * pad) / 32  # the favicon's 32-unit grid

    def p(x: float, y: float) -> tuple[float, float]:
        return pad + x * u, pad + y * u

    w = max(1, round(2.5 * u))
    d.line([p(8, 22), p(8, 10), p(16, 22), p(16, 10)], fill=FG, width=w, joint="curve")
    d.rectangle((*p(20, 10), *p(25, 22)), outline=FG, width=w)
    return im.resize((size, size), Image.LANCZOS)


def main() -> None:
    ext = ROOT / "extension" / "chrome" / "icons"
    web = ROOT / "web" / "static" / "icons"
    ext.mkdir(parents=True, exist_ok=True)
    web.mkdir(parents=True, exist_ok=True)
    for n in (16, 48, 128):
        icon(n).save(ext / f"icon{n}.png", optimize=True)
    for n in (192, 512):
        icon(n).save(web / f"icon-{n}.png", optimize=True)
    icon(512, maskable=True).save(web / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
