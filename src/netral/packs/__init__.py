"""Election knowledge packs: shipped ones under ``packs/data/<name>/`` and an agency's own
under ``<data dir>/packs/<name>/``. A pack is ``pack.yaml`` (metadata, curated entities)
plus an optional ``entities.csv`` in the import format (see ``netral.packs.csvimport``)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from netral.config import get_settings
from netral.packs.model import Contest, Entity, Pack, Period

__all__ = [
    "Contest",
    "Entity",
    "Pack",
    "PackError",
    "Period",
    "available_packs",
    "load_pack",
    "load_pack_dir",
    "load_packs",
    "user_packs_dir",
]


class PackError(ValueError):
    """A pack that cannot be loaded; the message names the file and the line."""


def user_packs_dir() -> Path:
    return get_settings().data_dir / "packs"


def _shipped_root() -> Path:
    return Path(str(resources.files("netral.packs").joinpath("data")))


def available_packs() -> dict[str, Path]:
    """name -> pack directory; an agency's pack overrides a shipped one of the same name."""
    found: dict[str, Path] = {}
    for root in (_shipped_root(), user_packs_dir()):
        if not root.is_dir():
            continue
        for d in sorted(root.iterdir()):
            if (d / "pack.yaml").is_file():
                found[d.name] = d
    return found


def load_pack_dir(directory: Path) -> Pack:
    from netral.packs.csvimport import CsvPackError, read_entities_csv

    yml = directory / "pack.yaml"
    try:
        raw = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise PackError(f"{yml}{where}: invalid YAML: {exc}") from None
    except OSError as exc:
        raise PackError(f"{yml}: {exc.strerror}") from None
    if not isinstance(raw, dict):
        raise PackError(f"{yml}: expected a mapping at the top level")
    csv_path = directory / "entities.csv"
    csv_lines: dict[int, int] = {}
    if csv_path.is_file():
        try:
            rows = read_entities_csv(csv_path)
        except CsvPackError as exc:
            raise PackError(str(exc)) from None
        existing = {e.get("id") for e in raw.get("entities", []) if isinstance(e, dict)}
        ents = list(raw.get("entities", []))
        for e in rows:
            if e["id"] not in existing:
                csv_lines[len(ents)] = e.pop("_line")
                ents.append(e)
        raw["entities"] = ents
    try:
        return Pack.model_validate(raw)
    except ValidationError as exc:
        raise PackError(f"{yml}: {_describe(exc, raw, csv_path, csv_lines)}") from None


def _describe(exc: ValidationError, raw: dict, csv_path: Path, csv_lines: dict[int, int]) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        hint = ""
        if err["loc"][:1] == ("entities",) and len(err["loc"]) > 1:
            idx = err["loc"][1]
            ents = raw.get("entities", [])
            if isinstance(idx, int) and idx < len(ents) and isinstance(ents[idx], dict):
                hint = f" (entity '{ents[idx].get('id')}'"
                if idx in csv_lines:
                    hint += f", {csv_path.name} line {csv_lines[idx]}"
                hint += ")"
        parts.append(f"{loc}: {err['msg']}{hint}")
    return "; ".join(parts)


@lru_cache(maxsize=32)
def load_pack(name: str) -> Pack:
    packs = available_packs()
    if name not in packs:
        raise PackError(f"unknown pack '{name}' (available: {', '.join(sorted(packs))})")
    return load_pack_dir(packs[name])


def load_packs(names: tuple[str, ...] | None = None) -> list[Pack]:
    """The active packs: the named ones, or every available pack."""
    chosen = names if names else tuple(available_packs())
    return [load_pack(n) for n in chosen]
