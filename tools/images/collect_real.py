#!/usr/bin/env python3
"""Build data/images/real/ (real-photo evaluation set) from labels.csv and posters.csv.

labels.csv is the single record of the set: one row per picture with its hand-made label
and where it came from (``source`` key, ``path`` inside that source at the commit given in
SOURCES below, and a ``transform``). This script reads each picture out of a local git
snapshot of its source repository, applies the transform, shrinks it to at most 1280 px on
the long side, stores it as JPEG quality 85 and writes the sizes back into labels.csv — so
anyone with the same snapshots can rebuild and check every file.

    python tools/images/collect_real.py                # build missing files, refresh sizes
    python tools/images/collect_real.py --force        # rebuild every file
    python tools/images/collect_real.py --mirror DIR   # snapshots live elsewhere
    python tools/images/collect_real.py --only posters # only posters.csv (poster/banner photos)

Snapshots are bare git directories named ``owner+name`` under --mirror (default
/work/.mirror), as the project's repository fetcher lays them out.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parents[2]
SET_DIR = ROOT / "data" / "images" / "real"
LABELS = SET_DIR / "labels.csv"
# Real poster/banner photos (campaign and neutral) have their own file: other columns
# (target, text_legible, the second pass) and no gesture labels to adjudicate.
POSTERS = SET_DIR / "posters.csv"
MAX_SIDE = 1280
QUALITY = 85

# source key -> (repository, commit, licence, author). SOURCES.md says more about each.
SOURCES: dict[str, tuple[str, str, str, str]] = {
    "ardamavi": (
        "ardamavi/Sign-Language-Digits-Dataset",
        "4b09433ef9d5c60602e8805bb54b8aa2428527f8",
        "Apache-2.0",
        "Turkey Ankara Ayranci Anadolu High School students (Zeynep Dikle, Arda Mavi)",
    ),
    "subhih": (
        "SubhiH/HandsDataset",
        "73228cb5ba6a8d454663aa9873157862b69a1c4c",
        "Apache-2.0",
        "Subhi Hammoud (SubhiH)",
    ),
    "hagrid": (
        "bree-hoff/CSSE4011",
        "3f9985b504ec77500a3062698da5c8f8e4e6e52d",
        "HaGRID licence (a variant of CC-BY-SA-4.0, see hukenovs/hagrid)",
        "HaGRID authors (Kapitanov, Kvanchiani, Nagaev, Kraynov, Makhliarchuk; SberDevices); "
        "hand crops committed by bree-hoff",
    ),
    "kawalc1": (
        "kawalc1/kawalc1",
        "de1add16658233bc4749652e37211092c562591a",
        "MIT",
        "Sam Theisens and KawalC1 contributors",
    ),
    "cdigital": (
        "InternationalIDEA/c.digital",
        "819a894887cf6abf26f5fbc0018b9577293c6614",
        "Apache-2.0",
        "Reza Lesmana, Netgrit & International IDEA",
    ),
    # Street-level pictures of billboards in Karanganyar (Central Java) uploaded to a
    # billboard-inventory app. The repository states no licence: the pictures are used to
    # measure only and are never committed or shipped (README.md, "Posters and banners").
    "karanganyar": (
        "RakaPutraAL/baliho_karanganyar",
        "5ebdce9de579692173ac8d872959c255544741f3",
        "none stated",
        "RakaPutraAL (uploader); street-level imagery by its original publisher",
    ),
    "asl": (
        "dnth/yolov5-deepsparse-blogpost",
        "f467abc4475a17a5652f240a7ec878d8267efb19",
        "Public Domain (dataset page; CC-BY-4.0 in the RF100 re-release)",
        "David Lee (American Sign Language Letters, Roboflow Universe)",
    ),
}

# Split by source so that nothing tuned on shares a photographer, person or room with what
# is measured. The heldout sources carry at least half of every class (README.md).
SPLIT: dict[str, str] = {
    "subhih": "tune",
    "ardamavi": "heldout",
    "asl": "heldout",
    "kawalc1": "heldout",
    "cdigital": "tune",
    "karanganyar": "heldout",
    # HaGRID is the only source of metal and thumbs-up photos found, so its rows carry their
    # own split (about 60 % heldout per class); its crops carry no subject id to split on.
    "hagrid": "per-row",
}

POSTER_COLUMNS = [
    "file",
    "kind",
    "gesture",
    "hands",
    "scene",
    "expected",
    "split",
    "hard",
    "note",
    "text",
    "text_legible",
    "campaign_content",
    "target",
    "source",
    "repo",
    "commit",
    "path",
    "licence",
    "author",
    "transform",
    "orig_size",
    "stored_size",
    "pass_b_expected",
    "final_expected",
]

COLUMNS = [
    "file",
    "kind",
    "gesture",
    "gestures_all",
    "hands",
    "scene",
    "expected",
    "split",
    "hard",
    "note",
    "text",
    "campaign_content",
    "source",
    "repo",
    "commit",
    "path",
    "licence",
    "author",
    "transform",
    "orig_size",
    "stored_size",
    "final_gesture",
    "final_expected",
]


def git_dir(mirror: Path, repo: str) -> Path:
    base = mirror / repo.replace("/", "+") / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def read_blob(mirror: Path, repo: str, commit: str, path: str) -> bytes:
    proc = subprocess.run(
        ["git", "--git-dir", str(git_dir(mirror, repo)), "show", f"{commit}:{path}"],
        capture_output=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{repo}@{commit[:8]}:{path}: {proc.stderr.decode().strip()}")
    return proc.stdout


def apply_transform(im: Image.Image, transform: str) -> Image.Image:
    """Transforms are ';'-separated: mirror, rot90/rot180/rot270 (counter-clockwise),
    rot=<degrees> (any angle, counter-clockwise, canvas expanded), crop=l,t,r,b."""
    for step in filter(None, (s.strip() for s in transform.split(";"))):
        if step == "none":
            continue
        if step == "mirror":
            im = ImageOps.mirror(im)
        elif step in ("rot90", "rot180", "rot270"):
            im = im.rotate(int(step[3:]), expand=True)
        elif step.startswith("rot="):
            im = im.rotate(
                float(step[4:]), expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0)
            )
        elif step.startswith("crop="):
            left, top, right, bottom = (int(v) for v in step[5:].split(","))
            im = im.crop((left, top, right, bottom))
        else:
            raise SystemExit(f"unknown transform step {step!r}")
    return im


def build(row: dict[str, str], mirror: Path, force: bool) -> None:
    repo, commit, licence, author = SOURCES[row["source"]]
    row["repo"], row["commit"], row["licence"], row["author"] = repo, commit, licence, author
    split = SPLIT[row["source"]]
    if split != "per-row":
        row["split"] = split
    elif row.get("split") not in ("tune", "heldout"):
        raise SystemExit(f"{row['file']}: source {row['source']} needs a tune/heldout split per row")
    out = SET_DIR / row["file"]
    raw = read_blob(mirror, repo, commit, row["path"])
    original = ImageOps.exif_transpose(Image.open(io.BytesIO(raw))).convert("RGB")
    row["orig_size"] = f"{original.width}x{original.height}"
    if out.exists() and not force:
        with Image.open(out) as stored:
            row["stored_size"] = f"{stored.width}x{stored.height}"
        return
    im = apply_transform(original, row.get("transform") or "none")
    if max(im.size) > MAX_SIDE:
        im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out.parent.mkdir(parents=True, exist_ok=True)
    im.save(out, "JPEG", quality=QUALITY, optimize=True)
    row["stored_size"] = f"{im.width}x{im.height}"


def rebuild(table: Path, columns: list[str], mirror: Path, force: bool) -> int:
    """Build every picture listed in ``table`` and write the sizes back; returns the count."""
    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        if row["file"] in seen:
            raise SystemExit(f"{table}:{n}: duplicate file {row['file']}")
        seen.add(row["file"])
        if row["source"] not in SOURCES:
            raise SystemExit(f"{table}:{n}: unknown source {row['source']!r}")
        build(row, mirror, force)
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--force", action="store_true")
    ap.add_argument(
        "--only", choices=["all", "labels", "posters"], default="all",
        help="rebuild only labels.csv's pictures or only posters.csv's",
    )
    args = ap.parse_args()
    count = 0
    if args.only in ("all", "labels"):
        count += rebuild(LABELS, COLUMNS, args.mirror, args.force)
    if args.only in ("all", "posters") and POSTERS.is_file():
        count += rebuild(POSTERS, POSTER_COLUMNS, args.mirror, args.force)
    total = sum(p.stat().st_size for p in SET_DIR.rglob("*.jpg"))
    print(f"{count} pictures, {total / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
