"""Roster import: staff (ASN) and their social-media accounts from CSV or XLSX.

Columns (header row, case-insensitive; English aliases accepted)::

    NIP, nama, jabatan, kelas, unit, platform, akun

One row per account; a staff member with several accounts has several rows with the same NIP
(and the same name/unit); a row with empty ``platform``/``akun`` imports the staff member only.
``unit`` is a path from the agency root, e.g. ``Sekretariat/Bagian Umum``.

Validation reports every problem with its row number (header = row 1, as in a spreadsheet).
Any error aborts the whole import (nothing changes) unless ``skip_invalid`` is set, in which
case rows with errors are skipped and the rest imported. Re-importing updates staff by NIP and
accounts by (platform, handle); nothing is duplicated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.store import audit
from netral.store.handles import PLATFORMS, normalise_handle, normalise_platform
from netral.store.models import Account, Agency, EmployeeClass, Staff, Unit

COLUMNS = ("nip", "nama", "jabatan", "kelas", "unit", "platform", "akun")
REQUIRED = ("nip", "nama")
_HEADER_ALIASES = {
    "nip": "nip",
    "nip asn": "nip",
    "nama": "nama",
    "name": "nama",
    "nama lengkap": "nama",
    "jabatan": "jabatan",
    "position": "jabatan",
    "kelas": "kelas",
    "class": "kelas",
    "status": "kelas",
    "jenis pegawai": "kelas",
    "unit": "unit",
    "unit kerja": "unit",
    "platform": "platform",
    "akun": "akun",
    "account": "akun",
    "handle": "akun",
    "username": "akun",
}
_CLASSES = {
    "pns": EmployeeClass.PNS,
    "cpns": EmployeeClass.PNS,
    "pppk": EmployeeClass.PPPK,
    "p3k": EmployeeClass.PPPK,
    "pejabat": EmployeeClass.PEJABAT,
    "non asn": EmployeeClass.NON_ASN,
    "non_asn": EmployeeClass.NON_ASN,
    "non-asn": EmployeeClass.NON_ASN,
    "ppnpn": EmployeeClass.NON_ASN,
    "honorer": EmployeeClass.NON_ASN,
}

# Message catalogue (id / en). Keys are problem codes.
MESSAGES: dict[str, dict[str, str]] = {
    "missing_column": {
        "id": "kolom wajib '{column}' tidak ada di baris judul",
        "en": "required column '{column}' is missing from the header",
    },
    "empty_file": {"id": "berkas kosong", "en": "the file is empty"},
    "required": {"id": "'{column}' kosong", "en": "'{column}' is empty"},
    "nip_numeric": {
        "id": "NIP tersimpan sebagai angka di spreadsheet (digit bisa hilang); "
        "format kolom NIP sebagai teks",
        "en": "NIP is stored as a number in the spreadsheet (digits may be lost); "
        "format the NIP column as text",
    },
    "nip_length": {
        "id": "NIP harus 18 digit angka (ditemukan: {value!r})",
        "en": "NIP must be 18 digits (found: {value!r})",
    },
    "nip_birth": {
        "id": "NIP digit 1-8 bukan tanggal lahir yang sah ({value})",
        "en": "NIP digits 1-8 are not a valid date of birth ({value})",
    },
    "nip_tmt": {
        "id": "NIP digit 9-14 bukan tahun-bulan pengangkatan yang sah ({value})",
        "en": "NIP digits 9-14 are not a valid appointment year-month ({value})",
    },
    "nip_age": {
        "id": "NIP: umur saat pengangkatan tidak masuk akal ({age} tahun)",
        "en": "NIP: implausible age at appointment ({age} years)",
    },
    "nip_sex": {
        "id": "NIP digit 15 (jenis kelamin) harus 1 atau 2 (ditemukan {value})",
        "en": "NIP digit 15 (sex) must be 1 or 2 (found {value})",
    },
    "nip_serial": {
        "id": "NIP digit 16-18 (nomor urut) tidak boleh 000",
        "en": "NIP digits 16-18 (serial number) must not be 000",
    },
    "nip_class": {
        "id": "NIP berpola PPPK (digit 13-14 = 21) tetapi kelas {value} [tidak pasti]",
        "en": "NIP has the PPPK pattern (digits 13-14 = 21) but class is {value} [uncertain]",
    },
    "kelas": {
        "id": "kelas tidak dikenal {value!r} (PNS, PPPK, pejabat, non-ASN)",
        "en": "unknown class {value!r} (PNS, PPPK, pejabat, non-ASN)",
    },
    "conflict": {
        "id": "NIP {nip} sudah muncul di baris {first} dengan {column} berbeda",
        "en": "NIP {nip} already appears in row {first} with a different {column}",
    },
    "platform": {
        "id": "platform tidak dikenal {value!r} (dikenal: {known})",
        "en": "unknown platform {value!r} (known: {known})",
    },
    "account_half": {
        "id": "platform dan akun harus diisi keduanya atau dikosongkan keduanya",
        "en": "platform and akun must both be filled or both be empty",
    },
    "account_dup": {
        "id": "akun {platform}:{handle} sudah dipakai NIP {nip} di baris {first}",
        "en": "account {platform}:{handle} is already used by NIP {nip} in row {first}",
    },
    "account_dup_same": {
        "id": "akun {platform}:{handle} diulang (baris {first}); diabaikan",
        "en": "account {platform}:{handle} repeated (row {first}); ignored",
    },
    "account_taken": {
        "id": "akun {platform}:{handle} sudah terdaftar untuk NIP lain ({nip}) di basis data",
        "en": "account {platform}:{handle} is already registered to another NIP ({nip})",
    },
    "nip_other_agency": {
        "id": "NIP {nip} sudah terdaftar di instansi lain ({agency})",
        "en": "NIP {nip} is already registered in another agency ({agency})",
    },
    "unit_unknown": {
        "id": "unit kerja {value!r} belum ada (pakai --create-units untuk membuatnya)",
        "en": "unit {value!r} does not exist (use --create-units to create it)",
    },
}


@dataclass(slots=True)
class Problem:
    row: int  # spreadsheet row number (header = 1); 0 for file-level problems
    column: str | None
    code: str
    severity: str  # "error" | "warning"
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        cat = MESSAGES[self.code]
        return cat.get(lang, cat["id"]).format(**self.params)

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
        }


@dataclass(slots=True)
class RosterRow:
    row: int
    nip: str
    nama: str
    jabatan: str | None
    kelas: str
    unit: str | None
    platform: str | None
    akun: str | None


@dataclass(slots=True)
class ImportReport:
    file: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False
    columns: list[str] = field(default_factory=list)  # recognised columns of the file
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "staff_created": 0,
            "staff_updated": 0,
            "staff_unchanged": 0,
            "accounts_created": 0,
            "accounts_updated": 0,
            "accounts_unchanged": 0,
            "units_created": 0,
            "rows_skipped": 0,
        }
    )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "applied": self.applied,
            "dry_run": self.dry_run,
            "counts": dict(self.counts),
            "problems": [p.to_dict(lang) for p in self.problems],
        }


class RosterFileError(Exception):
    """The file cannot be read at all (not CSV/XLSX, bad encoding...)."""


class RosterTooLarge(RosterFileError):
    """The file has more rows than the caller allows (``max_rows``); nothing was imported."""


# --------------------------------------------------------------------------- NIP


def check_nip(nip: str, today: date | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Problems of an 18-digit NIP: ``[(code, params)]``, empty when it looks valid.

    Structure (BKN): birth date YYYYMMDD, appointment (TMT CPNS) YYYYMM, sex digit (1 male,
    2 female), serial number. PPPK NIPs carry ``21`` in the month position (digits 13-14)
    [uncertain: from public examples, not from a BKN regulation].
    """
    today = today or date.today()
    if len(nip) != 18 or not nip.isdigit():
        return [("nip_length", {"value": nip})]
    out: list[tuple[str, dict[str, Any]]] = []
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
        if born.year < 1930 or born > today:
            raise ValueError
    except ValueError:
        out.append(("nip_birth", {"value": nip[0:8]}))
        born = None
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not (1950 <= tmt_year <= today.year + 1) or not (1 <= tmt_month <= 12 or tmt_month == 21):
        out.append(("nip_tmt", {"value": nip[8:14]}))
    elif born is not None:
        age = tmt_year - born.year
        if not 15 <= age <= 65:
            out.append(("nip_age", {"age": age}))
    if nip[14] not in "12":
        out.append(("nip_sex", {"value": nip[14]}))
    if nip[15:18] == "000":
        out.append(("nip_serial", {}))
    return out


def is_pppk_nip(nip: str) -> bool:
    return len(nip) == 18 and nip[12:14] == "21"


# --------------------------------------------------------------------------- reading


def _norm_header(h: Any) -> str | None:
    if h is None:
        return None
    key = " ".join(str(h).strip().lower().replace("_", " ").split())
    return _HEADER_ALIASES.get(key)


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def read_table(path: Path, max_rows: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row_number, cells)`` from a CSV or XLSX file, header first (row 1).

    With ``max_rows``, a file with more rows raises :class:`RosterTooLarge` — an XLSX before
    openpyxl parses anything (see :mod:`netral.store.roster_limits`)."""
    if max_rows is None:
        yield from _read_table(path)
        return
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from netral.store.roster_limits import xlsx_too_big

        why = xlsx_too_big(path, max_rows)
        if why:
            raise RosterTooLarge(f"{path.name}: {why}")
    for n, values in _read_table(path):
        if n > max_rows:
            raise RosterTooLarge(f"{path.name}: more than {max_rows:,} rows")
        yield n, values


def _read_table(path: Path) -> Iterator[tuple[int, list[Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for bad files
            raise RosterFileError(f"{path}: not a readable XLSX file ({exc})") from exc
        try:
            ws = wb.worksheets[0]
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield n, list(values)
        finally:
            wb.close()
        return
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        data = path.read_bytes().decode("cp1252")
    first = data.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=delimiter)
    for n, values in enumerate(reader, start=1):
        yield n, values


def parse_rows(table: Iterable[tuple[int, list[Any]]], report: ImportReport) -> list[RosterRow]:
    rows: list[RosterRow] = []
    it = iter(table)
    header: list[str | None] = []
    for n, values in it:
        if any(_cell(v) is not None for v in values):
            header = [_norm_header(v) for v in values]
            break
        report.rows = n
    if not header:
        report.problems.append(Problem(0, None, "empty_file", "error"))
        return rows
    missing = [c for c in REQUIRED if c not in header]
    for c in missing:
        report.problems.append(Problem(1, c, "missing_column", "error", {"column": c}))
    if missing:
        return rows
    index = {name: i for i, name in reversed(list(enumerate(header))) if name}
    report.columns = [c for c in COLUMNS if c in index]
    for n, values in it:
        cells = {c: _cell(values[i]) if i < len(values) else None for c, i in index.items()}
        if all(v is None for v in cells.values()):
            continue
        report.rows += 1
        bad = False
        raw_nip = cells.get("nip")
        if isinstance(raw_nip, int | float) and not isinstance(raw_nip, bool):
            report.problems.append(Problem(n, "nip", "nip_numeric", "error"))
            raw_nip = str(int(raw_nip))
            bad = True
        nip = "" if raw_nip is None else str(raw_nip).replace(" ", "").replace(".", "")
        nama = "" if cells.get("nama") is None else " ".join(str(cells["nama"]).split())
        for col, val in (("nip", nip), ("nama", nama)):
            if not val:
                report.problems.append(Problem(n, col, "required", "error", {"column": col}))
                bad = True
        if nip and not bad:
            for code, params in check_nip(nip):
                report.problems.append(Problem(n, "nip", code, "error", params))
                bad = True
        kelas_raw = cells.get("kelas")
        kelas = EmployeeClass.PNS.value
        if kelas_raw is not None:
            k = _CLASSES.get(" ".join(str(kelas_raw).lower().split()))
            if k is None:
                report.problems.append(Problem(n, "kelas", "kelas", "error", {"value": kelas_raw}))
                bad = True
            else:
                kelas = k.value
        if nip and not bad and is_pppk_nip(nip) and kelas == EmployeeClass.PNS.value:
            report.problems.append(Problem(n, "kelas", "nip_class", "warning", {"value": kelas}))
        platform_raw, akun_raw = cells.get("platform"), cells.get("akun")
        platform = handle = None
        if (platform_raw is None) != (akun_raw is None):
            report.problems.append(Problem(n, "akun", "account_half", "error"))
            bad = True
        elif platform_raw is not None:
            platform = normalise_platform(str(platform_raw))
            if platform is None:
                report.problems.append(
                    Problem(
                        n,
                        "platform",
                        "platform",
                        "error",
                        {"value": platform_raw, "known": ", ".join(PLATFORMS)},
                    )
                )
                bad = True
            else:
                handle = normalise_handle(platform, str(akun_raw)) or None
                if handle is None:
                    report.problems.append(
                        Problem(n, "akun", "required", "error", {"column": "akun"})
                    )
                    bad = True
        unit = cells.get("unit")
        unit_path = "/".join(p.strip() for p in str(unit).split("/") if p.strip()) if unit else None
        jabatan = cells.get("jabatan")
        row = RosterRow(
            n,
            nip,
            nama,
            None if jabatan is None else str(jabatan),
            kelas,
            unit_path or None,
            platform,
            handle,
        )
        if bad:
            report.counts["rows_skipped"] += 1
            row.nip = ""  # mark invalid
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- import


def _cross_check(rows: list[RosterRow], report: ImportReport) -> None:
    first_by_nip: dict[str, RosterRow] = {}
    owner: dict[tuple[str, str], RosterRow] = {}
    for r in rows:
        if not r.nip:
            continue
        f = first_by_nip.setdefault(r.nip, r)
        if f is not r:
            for col in ("nama", "jabatan", "kelas", "unit"):
                if getattr(r, col) != getattr(f, col) and getattr(r, col) is not None:
                    report.problems.append(
                        Problem(
                            r.row,
                            col,
                            "conflict",
                            "error",
                            {"nip": r.nip, "first": f.row, "column": col},
                        )
                    )
                    r.nip = ""
                    break
        if r.nip and r.platform and r.akun:
            key = (r.platform, r.akun)
            o = owner.setdefault(key, r)
            if o is not r:
                same = o.nip == r.nip
                report.problems.append(
                    Problem(
                        r.row,
                        "akun",
                        "account_dup_same" if same else "account_dup",
                        "warning" if same else "error",
                        {"platform": r.platform, "handle": r.akun, "nip": o.nip, "first": o.row},
                    )
                )
                if not same:
                    r.nip = ""
                else:
                    r.platform = r.akun = None
    report.counts["rows_skipped"] = sum(1 for r in rows if not r.nip)


def _ensure_unit(
    session: Session, agency: Agency, path: str, cache: dict[str, Unit], report: ImportReport
) -> Unit:
    if path in cache:
        return cache[path]
    parts = path.split("/")
    parent: Unit | None = None
    for depth in range(len(parts)):
        sub = "/".join(parts[: depth + 1])
        unit = cache.get(sub)
        if unit is None:
            unit = Unit(
                agency_id=agency.id,
                parent_id=parent.id if parent else None,
                name=parts[depth],
                path=sub,
                depth=depth,
            )
            session.add(unit)
            session.flush()
            cache[sub] = unit
            report.counts["units_created"] += 1
        parent = unit
    assert parent is not None
    return parent


def get_or_create_agency(session: Session, code: str | None, name: str | None = None) -> Agency:
    """The agency with ``code``; the only agency when ``code`` is None; created when absent."""
    if code is None:
        agencies = session.scalars(select(Agency).limit(2)).all()
        if len(agencies) == 1:
            return agencies[0]
        raise ValueError("agency")
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        agency = Agency(code=code, name=name or code)
        session.add(agency)
        session.flush()
    return agency


def import_roster(
    session: Session,
    path: Path,
    *,
    agency_code: str | None = None,
    agency_name: str | None = None,
    dry_run: bool = False,
    create_units: bool = False,
    skip_invalid: bool = False,
    actor: str = "cli",
    max_rows: int | None = None,
) -> ImportReport:
    """Validate and (unless ``dry_run`` or errors) apply a roster file in one transaction.

    The caller owns ``session``; this function commits on success and rolls back otherwise.
    """
    report = ImportReport(file=str(path), dry_run=dry_run)
    rows = parse_rows(read_table(path, max_rows), report)
    _cross_check(rows, report)
    try:
        agency = get_or_create_agency(session, agency_code, agency_name)
    except ValueError:
        session.rollback()
        raise
    units = {
        u.path: u for u in session.scalars(select(Unit).where(Unit.agency_id == agency.id)).all()
    }
    valid = [r for r in rows if r.nip]
    for r in valid:
        if r.unit and r.unit not in units and not create_units:
            report.problems.append(
                Problem(r.row, "unit", "unit_unknown", "error", {"value": r.unit})
            )
            r.nip = ""
    nips = sorted({r.nip for r in valid if r.nip})
    existing: dict[str, Staff] = {}
    for chunk_start in range(0, len(nips), 500):
        chunk = nips[chunk_start : chunk_start + 500]
        for s in session.scalars(select(Staff).where(Staff.nip.in_(chunk))).all():
            existing[s.nip] = s
    for r in valid:
        s = existing.get(r.nip) if r.nip else None
        if s is not None and s.agency_id != agency.id:
            other = session.get(Agency, s.agency_id)
            report.problems.append(
                Problem(
                    r.row,
                    "nip",
                    "nip_other_agency",
                    "error",
                    {"nip": r.nip, "agency": other.code if other else s.agency_id},
                )
            )
            r.nip = ""
    account_keys = sorted({(r.platform, r.akun) for r in valid if r.nip and r.platform and r.akun})
    accounts: dict[tuple[str, str], Account] = {}
    for platform in sorted({k[0] for k in account_keys}):
        handles = [k[1] for k in account_keys if k[0] == platform]
        for i in range(0, len(handles), 500):
            q = select(Account).where(
                Account.platform == platform, Account.handle.in_(handles[i : i + 500])
            )
            for a in session.scalars(q).all():
                accounts[(a.platform, a.handle)] = a
    staff_nip_by_id = {s.id: s.nip for s in existing.values()}
    for r in valid:
        if not (r.nip and r.platform and r.akun):
            continue
        a = accounts.get((r.platform, r.akun))
        if a is None or a.staff_id is None:
            continue
        owner_nip = staff_nip_by_id.get(a.staff_id)
        if owner_nip is None:
            owner = session.get(Staff, a.staff_id)
            owner_nip = owner.nip if owner else None
        if owner_nip != r.nip or a.agency_id != agency.id:
            report.problems.append(
                Problem(
                    r.row,
                    "akun",
                    "account_taken",
                    "error",
                    {"platform": r.platform, "handle": r.akun, "nip": owner_nip},
                )
            )
            r.nip = ""
    report.problems.sort(key=lambda p: (p.row, p.severity != "error", p.column or ""))
    report.counts["rows_skipped"] = sum(1 for r in rows if not r.nip)
    if dry_run or (report.errors and not skip_invalid):
        session.rollback()
        return report

    seen_staff: set[str] = set()
    for r in rows:
        if not r.nip:
            continue
        unit = _ensure_unit(session, agency, r.unit, units, report) if r.unit else None
        s = existing.get(r.nip)
        # Columns absent from the file leave the stored values alone on re-import.
        values = {"name": r.nama}
        if "jabatan" in report.columns:
            values["position"] = r.jabatan
        if "kelas" in report.columns:
            values["employee_class"] = r.kelas
        if "unit" in report.columns:
            values["unit_id"] = unit.id if unit else None
        if s is None:
            s = Staff(agency_id=agency.id, nip=r.nip, active=True, **values)
            session.add(s)
            session.flush()
            existing[r.nip] = s
            report.counts["staff_created"] += 1
            seen_staff.add(r.nip)
        elif r.nip not in seen_staff:
            seen_staff.add(r.nip)
            changed = {k: v for k, v in values.items() if getattr(s, k) != v}
            if not s.active:
                changed["active"] = True
            for k, v in changed.items():
                setattr(s, k, v)
            report.counts["staff_updated" if changed else "staff_unchanged"] += 1
        if r.platform and r.akun:
            a = accounts.get((r.platform, r.akun))
            if a is None:
                a = Account(agency_id=agency.id, staff_id=s.id, platform=r.platform, handle=r.akun)
                session.add(a)
                accounts[(r.platform, r.akun)] = a
                report.counts["accounts_created"] += 1
            elif a.staff_id != s.id or not a.active:
                a.staff_id, a.active = s.id, True
                report.counts["accounts_updated"] += 1
            else:
                report.counts["accounts_unchanged"] += 1
    audit.record(
        session,
        "roster.import",
        actor=actor,
        agency_id=agency.id,
        object_type="agency",
        object_id=agency.id,
        details={"file": Path(path).name, "rows": report.rows, **report.counts},
    )
    session.commit()
    report.applied = True
    return report
