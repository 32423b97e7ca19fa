"""Build a knowledge pack from a CSV, so an agency can add an election without code.

CSV columns (header required; the first six match ``shared/domain/pemilu2024.csv``):

``kind, number, name, short_name, aliases, slogans_hashtags`` and optional ``contest``,
``region``, ``weak_aliases``, ``mock``, ``camp_epithets``, ``gestures``, ``colours``, ``parties``,
``accounts``.
Lists are ``;``-separated. ``kind`` is pair | party | local_party | candidate.

Aliases are sorted into unambiguous names and weak ones (numbers, short or everyday words)
that only count with election context; ``weak_aliases`` forces that choice.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from netral.packs.model import Pack, pack_data, validate_pack

REQUIRED = ["kind", "number", "name", "short_name", "aliases", "slogans_hashtags"]
OPTIONAL = ["contest", "region", "weak_aliases", "mock", "camp_epithets", "gestures", "colours",
            "parties", "accounts"]
KINDS = {"pair", "party", "local_party", "candidate"}

# Number references ("no 2", "paslon 02", "dua") are handled by the number-cue patterns.
_NUMBERISH = re.compile(
    r"^(?:(?:no|nomor|nomer|no urut|nomor urut|paslon|capres|cawapres|urut)\s*)?0?\d{1,2}$"
    r"|^(?:satu|dua|tiga|empat|siji|loro|telu|hiji|tilu|besik|ciek|duo|tigo|kalih|setunggal)$",
    re.IGNORECASE,
)
# Everyday words and acronyms that also name a contestant: weak on their own.
COMMON_WORDS = {
    "amin", "aamiin", "gemoy", "gemoi", "abah", "buruh", "garuda", "ummat", "demokrat",
    "gelora", "banteng", "beringin", "pohon beringin", "matahari", "merdeka", "perubahan",
    "persatuan indonesia", "indonesia raya", "imin", "bowo", "wowo", "kim", "tkn", "tpn", "kpp",
    "pas", "pan", "pbb", "pkn", "pa", "pd", "ps", "gp", "ht", "oso", "p3", "sira", "pda",
    "mercy", "bintang mercy", "partai pekerja", "partai anak muda", "partai matahari",
    "koalisi perubahan", "sat set", "sat-set", "lanjutkan", "keberlanjutan", "indonesia maju",
    "oke gas", "gerak cepat", "indonesia unggul", "satu putaran", "restorasi indonesia",
}


class CsvPackError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip()]


def _is_weak(alias: str) -> bool:
    a = alias.strip().lower()
    return a in COMMON_WORDS or len(a.replace(" ", "")) <= 3


def _row_to_entity(row: dict[str, str], line: int, prefix: str) -> dict[str, Any]:
    kind = (row.get("kind") or "").strip()
    num_raw = (row.get("number") or "").strip()
    number = int(num_raw) if num_raw.isdigit() else None
    contest = (row.get("contest") or "").strip() or None
    ident = f"{kind}-{number}" if number is not None else f"{kind}-{row['short_name'].strip()}"
    if contest and kind in ("pair", "candidate"):
        ident = f"{contest}-{ident}"
    ident = re.sub(r"[^a-z0-9._-]+", "-", ident.lower())
    forced_weak = {a.lower() for a in _split(row.get("weak_aliases"))}
    names: list[str] = []
    weak: list[str] = []
    for alias in [row["short_name"].strip(), *_split(row.get("aliases"))]:
        if not alias or _NUMBERISH.match(alias):
            continue
        (weak if alias.lower() in forced_weak or _is_weak(alias) else names).append(alias)
    slogans: list[str] = []
    weak_slogans: list[str] = []
    hashtags: list[str] = []
    weak_hashtags: list[str] = []
    for item in _split(row.get("slogans_hashtags")):
        if item.startswith("#"):
            body = item[1:]
            words = {w for n in names for w in re.split(r"[\s\-–]+", n.lower()) if len(w) > 3}
            distinctive = any(w in body.lower() for w in words)
            (hashtags if distinctive else weak_hashtags).append(body)
        else:
            (weak_slogans if _is_weak(item) or len(item.split()) == 1 else slogans).append(item)
    return {
        "id": ident,
        "kind": kind,
        "number": number,
        "contest": contest,
        "name": row["name"].strip(),
        "label": row["short_name"].strip() or row["name"].strip(),
        "names": _dedupe(names),
        "weak": _dedupe(weak),
        "slogans": _dedupe(slogans),
        "weak_slogans": _dedupe(weak_slogans),
        "hashtags": _dedupe(hashtags),
        "weak_hashtags": _dedupe(weak_hashtags),
        "mock": _split(row.get("mock")),
        "camp_epithets": _split(row.get("camp_epithets")),
        "gestures": _split(row.get("gestures")),
        "colours": _split(row.get("colours")),
        "parties": _split(row.get("parties")),
        "accounts": [a.lstrip("@") for a in _split(row.get("accounts"))],
        "_line": line,
    }


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for i in items:
        k = i.lower()
        if k not in seen:
            seen.add(k)
            out.append(i)
    return out


def read_entities_csv(path: Path, prefix: str = "") -> list[dict[str, Any]]:
    """Parse and check an entities CSV; raises CsvPackError listing every problem by line."""
    problems: list[str] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvPackError([f"{path}: {exc.strerror}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CsvPackError([f"{path}:{line}: not UTF-8 text (byte {exc.start})"]) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvPackError([f"{path}:1: missing column(s): {', '.join(missing)}"])
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        problems.append(f"{path}:1: unknown column(s): {', '.join(unknown)}")
    entities: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"{path}:{line}: too many cells")
            continue
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            problems.append(f"{path}:{line}: kind '{kind}' is not one of {sorted(KINDS)}")
            continue
        num = (row.get("number") or "").strip()
        if num and not num.isdigit():
            problems.append(f"{path}:{line}: number '{num}' is not a whole number")
            continue
        if not (row.get("name") or "").strip():
            problems.append(f"{path}:{line}: empty name")
            continue
        if kind == "pair" and not num:
            problems.append(f"{path}:{line}: a pair needs its ballot number")
            continue
        ent = _row_to_entity(row, line, prefix)
        if ent["id"] in seen:
            problems.append(f"{path}:{line}: duplicate of line {seen[ent['id']]} ({ent['id']})")
            continue
        if not ent["names"] and not ent["hashtags"]:
            problems.append(
                f"{path}:{line}: no unambiguous name among the aliases of '{ent['name']}'"
                " (add a full name or distinctive alias)"
            )
        seen[ent["id"]] = line
        entities.append(ent)
    if problems:
        raise CsvPackError(problems)
    return entities


def build_pack(
    csv_path: Path,
    *,
    name: str,
    title: str,
    election_date: date,
    campaign: tuple[date, date] | None = None,
    election: str = "pilkada",
    version: str = "1",
    in_force: tuple[date, date] | None = None,
) -> Pack:
    ents = read_entities_csv(csv_path)
    contests = sorted({e["contest"] for e in ents if e["contest"]})
    lines = {e["id"]: e.pop("_line") for e in ents}
    start = in_force[0] if in_force else (campaign[0] if campaign else election_date)
    end = in_force[1] if in_force else election_date
    raw = {
        "name": name,
        "version": version,
        "title": title,
        "election": election,
        "election_date": election_date,
        "in_force": {"label": title, "start": start, "end": end, "kind": "lainnya"},
        "campaign_periods": (
            [{"label": f"Masa kampanye {title}", "start": campaign[0], "end": campaign[1]}]
            if campaign else []
        ),
        "contests": [{"id": c, "name": c} for c in contests],
        "entities": ents,
        "sources": [f"imported from {csv_path.name}"],
    }
    try:
        return validate_pack(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = err["loc"]
            where = ""
            if loc[:1] == ("entities",) and len(loc) > 1 and isinstance(loc[1], int):
                where = f":{lines.get(ents[loc[1]]['id'], '?')}"
            field = ".".join(map(str, loc))  # empty for a whole-pack check (duplicate ids)
            problems.append(f"{csv_path}{where}: {field + ': ' if field else ''}{err['msg']}")
        raise CsvPackError(problems) from None


def write_pack(pack: Pack, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "pack.yaml"
    data = pack_data(pack)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path

