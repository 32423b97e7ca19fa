"""Safe image loading: size and pixel limits, corrupt files, animations, HEIC when a plugin
is installed. Every failure becomes an :class:`ImageError` with a clear message; nothing
else escapes."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from netral.config import get_settings
from netral.images.messages import msg

# Limits (overridable by environment for agencies with very large scans).
MAX_FILE_BYTES = get_settings().image_max_bytes  # NETRAL_IMAGE_MAX_BYTES
MAX_PIXELS = get_settings().image_max_pixels  # NETRAL_IMAGE_MAX_PIXELS
MAX_SIDE = get_settings().image_max_side  # NETRAL_IMAGE_MAX_SIDE
MAX_FRAMES = 4  # frames sampled from an animation
# Pillow decodes GIF, APNG and WebP animations frame by frame: reaching frame k decodes all
# k frames before it. The frames sampled are kept within the first ones whose decoding stays
# under this many pixels in all (a 4000x4000 GIF of 150 frames cost 10 s of CPU before).
MAX_DECODED_PIXELS = get_settings().image_max_decoded_pixels  # NETRAL_IMAGE_MAX_DECODED_PIXELS
WORK_SIDE = 2000  # frames are reduced to at most this many pixels per side for analysis

try:  # HEIC/HEIF only when the optional plugin is installed
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    HEIF_SUPPORTED = True
except Exception:  # pragma: no cover - depends on the installation
    HEIF_SUPPORTED = False

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


class ImageError(ValueError):
    """An image that cannot or must not be analysed. ``code`` is stable, ``message`` is
    for people (in the requested language)."""

    def __init__(self, code: str, message: str, name: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = name


@dataclass(slots=True)
class LoadedImage:
    name: str
    sha256: str
    format: str
    width: int
    height: int
    n_frames: int
    frames: list[Image.Image] = field(default_factory=list)  # RGB, reduced to WORK_SIDE
    frame_indices: list[int] = field(default_factory=list)

    @property
    def animated(self) -> bool:
        return self.n_frames > 1

    def info(self) -> dict[str, object]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "frames": self.n_frames,
            "frames_analysed": list(self.frame_indices),
        }


def _is_heif(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # deep greys: scale to 8 bits
        import numpy as np

        arr = np.asarray(im, dtype=np.float32)
        top = float(arr.max()) if arr.size else 0.0
        if top > 255:
            arr = arr * (255.0 / (65535.0 if top <= 65535 else top))
        return Image.fromarray(arr.clip(0, 255).astype("uint8"), "L").convert("RGB")
    return im.convert("RGB")


def _reduce(im: Image.Image, side: int = WORK_SIDE) -> Image.Image:
    if max(im.size) > side:
        im = im.copy()
        im.thumbnail((side, side), Image.Resampling.LANCZOS)
    return im


def load_image(
    source: str | os.PathLike[str] | bytes,
    *,
    lang: str = "id",
    name: str | None = None,
    max_frames: int = MAX_FRAMES,
    max_pixels: int | None = None,
    max_side: int | None = None,
) -> LoadedImage:
    """Read an image from a path or bytes. Raises :class:`ImageError` on anything bad."""
    max_pixels = max_pixels or MAX_PIXELS
    max_side = max_side or MAX_SIDE
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = name or "<bytes>"
    else:
        path = Path(source)
        name = name or str(path)
        try:
            size = path.stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            raise ImageError("not_found", msg("not_found", lang, name=name), name) from None
        except OSError as exc:
            raise ImageError(
                "corrupt", msg("corrupt", lang, name=name, detail=exc.strerror), name
            ) from None
        if size > MAX_FILE_BYTES:
            raise ImageError(
                "too_large_file",
                msg("too_large_file", lang, name=name, size=size, limit=MAX_FILE_BYTES),
                name,
            )
        if path.is_dir():
            raise ImageError("corrupt", msg("corrupt", lang, name=name, detail="folder"), name)
        data = path.read_bytes()
    if not data:
        raise ImageError("empty", msg("empty", lang, name=name), name)
    if len(data) > MAX_FILE_BYTES:
        raise ImageError(
            "too_large_file",
            msg("too_large_file", lang, name=name, size=len(data), limit=MAX_FILE_BYTES),
            name,
        )
    if _is_heif(data[:16]) and not HEIF_SUPPORTED:
        raise ImageError("heic_unsupported", msg("heic_unsupported", lang, name=name), name)

    sha = hashlib.sha256(data).hexdigest()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            width, height = im.size
            if width <= 0 or height <= 0:
                raise ImageError(
                    "corrupt", msg("corrupt", lang, name=name, detail="0 px"), name
                )
            if max(width, height) > max_side:
                raise ImageError(
                    "too_wide",
                    msg("too_wide", lang, name=name, side=max(width, height), limit=max_side),
                    name,
                )
            if width * height > max_pixels:
                raise ImageError(
                    "bomb",
                    msg("bomb", lang, name=name, width=width, height=height, limit=max_pixels),
                    name,
                )
            fmt = im.format or "?"
            n_frames = int(getattr(im, "n_frames", 1) or 1)
            if n_frames > 1:
                reachable = min(n_frames, max(1, MAX_DECODED_PIXELS // (width * height)))
                k = max(1, min(max_frames, reachable))
                indices = sorted({round(i * (reachable - 1) / max(1, k - 1)) for i in range(k)})
            else:
                indices = [0]
            frames: list[Image.Image] = []
            for idx in indices:
                if n_frames > 1:
                    im.seek(idx)
                if fmt == "JPEG" and max(width, height) > 2 * WORK_SIDE:
                    im.draft("RGB", (WORK_SIDE, WORK_SIDE))
                im.load()
                frame = im if n_frames == 1 else im.copy()
                if n_frames == 1:
                    frame = ImageOps.exif_transpose(frame) or frame
                frames.append(_reduce(_to_rgb(frame)))
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(
            "bomb", msg("bomb", lang, name=name, width="?", height="?", limit=max_pixels), name
        ) from exc
    except UnidentifiedImageError:
        raise ImageError(
            "corrupt", msg("corrupt", lang, name=name, detail=msg("unknown_format", lang)), name
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError,
            IndexError, TypeError, ZeroDivisionError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ImageError("corrupt", msg("corrupt", lang, name=name, detail=detail), name) from None
    return LoadedImage(
        name=name,
        sha256=sha,
        format=fmt,
        width=width,
        height=height,
        n_frames=n_frames,
        frames=frames,
        frame_indices=indices,
    )
