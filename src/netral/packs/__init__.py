"""Election knowledge packs: shipped ones under ``packs/data/<name>/`` and an agency's own
under ``<data dir>/packs/<name>/``. A pack is ``pack.yaml`` (metadata, curated entities)
plus an optional ``entities.csv`` in the import format (see ``netral.packs.csvimport``)."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from netral.config import get_settings
from netral.data import cachefile, yamlio
from netral.packs.model import Contest, Entity, Pack, Period, validate_pack

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
    "source_digest",
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


# Bump when a change to loading (not visible in the sources hashed below) alters the result.
_CACHE_FORMAT = "2"


def _source_digest(directory: Path) -> str | None:
    """A hash of everything the pack of ``directory`` is built from (pack.yaml, entities.csv,
    and ``_code_stamp``). None when a file cannot be read."""
    import hashlib

    # the folder's absolute name keeps packs of one name in two folders apart (not resolved:
    # following links costs a cold check more than an occasional second cache file)
    code = _code_stamp()
    if code is None:
        return None
    h = hashlib.sha256(f"{_CACHE_FORMAT} {os.path.abspath(directory)}".encode())
    h.update(code)
    try:
        for f in (directory / "pack.yaml", directory / "entities.csv"):
            h.update(f.name.encode())
            if f.is_file():
                h.update(f.read_bytes())
    except OSError:
        return None
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_stamp() -> bytes | None:
    """What every pack is read with, once per process: the schema and loader code, and the
    validating pydantic's ``version.py`` (read, not imported: a cold check does not import
    pydantic). None when the code cannot be read as files (nothing is cached then)."""
    import hashlib
    from importlib.util import find_spec

    h = hashlib.sha256()
    try:
        for f in (Path(__file__), Path(__file__).with_name("model.py"),
                  Path(__file__).with_name("csvimport.py")):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    except OSError:
        return None
    try:
        spec = find_spec("pydantic")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            f = Path(folder) / "version.py"
            if f.is_file():
                h.update(f.read_bytes())
                break
    except (ImportError, OSError, ValueError):
        pass
    return h.digest()


def _cache_path(directory: Path, digest: str | None = None) -> Path | None:
    """Where the validated pack of ``directory`` is cached: named by its source digest, so an
    edited pack or a new netral is read afresh. None when a file cannot be read."""
    digest = digest or _source_digest(directory)
    if digest is None:
        return None
    return get_settings().cache_dir / "packs" / f"{directory.name}-{digest[:24]}.pickle"


# id(pack) -> (pack, digest of its sources) for every pack read from a directory: what was
# built from a pack (netral.detect.built) is cached under this digest. The pack is kept in the
# value so its id cannot be reused by another object.
_DIGESTS: dict[int, tuple[Pack, str]] = {}


def source_digest(pack: Pack) -> str | None:
    """The digest of the files ``pack`` was read from (None: built in memory, not read)."""
    hit = _DIGESTS.get(id(pack))
    return hit[1] if hit is not None and hit[0] is pack else None


def _remember(pack: Pack, digest: str | None) -> Pack:
    if digest is not None:
        _DIGESTS[id(pack)] = (pack, digest)
    return pack


def load_pack_dir(directory: Path) -> Pack:
    """The validated pack in ``directory``. Parsing and validating the shipped packs is most
    of a cold ``netral check``, so the result is kept in the user cache directory and reused
    while the pack's files and netral's pack code are unchanged."""
    import pickle

    digest = _source_digest(directory)
    cache = _cache_path(directory, digest)
    # unpickling runs code: only a file this user wrote and nobody else can change is read
    data = cachefile.read_own(cache) if cache is not None else None
    if data is not None:
        try:
            pack = pickle.loads(data)
            if isinstance(pack, Pack):
                return _remember(pack, digest)
        except Exception:  # a corrupt or foreign cache file is rebuilt, never fatal
            pass
    pack = _read_pack_dir(directory)
    if cache is not None:  # a read-only cache: validated again next time
        cachefile.write_quietly(cache, pickle.dumps(pack, protocol=pickle.HIGHEST_PROTOCOL))
    return _remember(pack, digest)


def _read_pack_dir(directory: Path) -> Pack:
    from pydantic import ValidationError

    from netral.packs.csvimport import CsvPackError, read_entities_csv

    yml = directory / "pack.yaml"
    try:
        raw = yamlio.safe_load(yml.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise PackError(f"{yml}: {exc.strerror}") from None
    except Exception as exc:
        if not yamlio.is_yaml_error(exc):
            raise
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise PackError(f"{yml}{where}: invalid YAML: {exc}") from None
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
    _apply_extend(raw, yml)
    try:
        return validate_pack(raw)
    except ValidationError as exc:
        raise PackError(f"{yml}: {_describe(exc, raw, csv_path, csv_lines)}") from None


def _apply_extend(raw: dict, yml: Path) -> None:
    """``extend: {entity-id: {field: [values]}}``: values added to a list field of an entity,
    for entities that come from ``entities.csv`` (a reference table kept verbatim, which has no
    column for, say, a party's accounts) without restating the whole entity in pack.yaml."""
    extend = raw.pop("extend", None)
    if extend is None:
        return
    if not isinstance(extend, dict):
        raise PackError(f"{yml}: extend: expected a mapping of entity id to fields")
    by_id = {e.get("id"): e for e in raw.get("entities", []) if isinstance(e, dict)}
    for eid, fields in extend.items():
        entity = by_id.get(eid)
        if entity is None:
            raise PackError(f"{yml}: extend: no entity '{eid}' in this pack")
        if not isinstance(fields, dict):
            raise PackError(f"{yml}: extend.{eid}: expected a mapping of field to a list")
        for field, values in fields.items():
            have = entity.get(field, [])
            if not isinstance(values, list) or not isinstance(have, list):
                raise PackError(f"{yml}: extend.{eid}.{field}: only list fields can be extended")
            entity[field] = [*have, *(v for v in values if v not in have)]


def _describe(exc: Any, raw: dict, csv_path: Path, csv_lines: dict[int, int]) -> str:
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
        # a whole-pack check (the name's pattern, duplicate ids) has no location: no ": "
        parts.append(f"{loc}: {err['msg']}{hint}" if loc else f"{err['msg']}{hint}")
    return "; ".join(parts)


def _pack_dir(name: str) -> Path | None:
    """The folder of the pack ``name`` as ``available_packs`` would find it (an agency's first),
    looked up directly instead of listing both roots once per pack (a cold check loads six)."""
    if name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        return None
    for root in (user_packs_dir(), _shipped_root()):
        if (root / name / "pack.yaml").is_file():
            return root / name
    return None


@lru_cache(maxsize=32)
def load_pack(name: str) -> Pack:
    directory = _pack_dir(name)
    if directory is None:
        packs = available_packs()
        raise PackError(f"unknown pack '{name}' (available: {', '.join(sorted(packs))})")
    return load_pack_dir(directory)


def load_packs(names: tuple[str, ...] | None = None) -> list[Pack]:
    """The active packs: the named ones, or every available pack."""
    chosen = names if names else tuple(available_packs())
    return [load_pack(n) for n in chosen]
