"""Roster import on real databases: valid files (CSV, XLSX), row-numbered problems, dry run,
re-import without duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from netral.store.models import Account, AuditLog, Staff, Unit
from netral.store.roster import check_nip, import_roster

HEADER = "NIP,nama,jabatan,kelas,unit,platform,akun\n"
BUDI = "198501012010011001"
ANI = "199002022019022002"
CITRA = "199512312022212003"  # PPPK pattern (21 in digits 13-14)


def _write(tmp_path: Path, body: str, name: str = "roster.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


VALID = (
    f"{BUDI},Budi Santoso,Analis Kebijakan,PNS,Sekretariat/Bagian Umum,twitter,@BudiS\n"
    f"{BUDI},Budi Santoso,Analis Kebijakan,PNS,Sekretariat/Bagian Umum,instagram,https://www.instagram.com/budi.s/\n"
    f"{ANI},Ani Lestari,Guru,PNS,Dinas Pendidikan,x,ani_l\n"
    f"{CITRA},Citra Dewi,Perawat,PPPK,Dinas Kesehatan/Puskesmas,mastodon,https://sosial.example/@citra\n"
)


def _counts(session):
    return (
        session.scalar(select(func.count(Staff.id))),
        session.scalar(select(func.count(Account.id))),
        session.scalar(select(func.count(Unit.id))),
    )


def test_check_nip_structure():
    today = date(2026, 1, 1)
    assert check_nip(BUDI, today) == []
    assert check_nip(CITRA, today) == []
    assert [c for c, _ in check_nip("12345", today)] == ["nip_length"]
    assert [c for c, _ in check_nip("198513012010011001", today)] == ["nip_birth"]
    assert [c for c, _ in check_nip("198501012010131001", today)] == ["nip_tmt"]
    assert [c for c, _ in check_nip("198501012010013001", today)] == ["nip_sex"]
    assert [c for c, _ in check_nip("198501012010011000", today)] == ["nip_serial"]
    assert [c for c, _ in check_nip("198501011990011001", today)] == ["nip_age"]


def test_import_valid_csv_then_reimport_updates_without_duplicates(db_session, tmp_path):
    path = _write(tmp_path, VALID)
    report = import_roster(db_session, path, agency_code="pemkab-a", create_units=True)
    assert report.applied and report.errors == []
    assert report.counts["staff_created"] == 3
    assert report.counts["accounts_created"] == 4
    # Sekretariat, Sekretariat/Bagian Umum, Dinas Pendidikan, Dinas Kesehatan, …/Puskesmas
    assert report.counts["units_created"] == 5
    assert _counts(db_session) == (3, 4, 5)
    handles = set(db_session.scalars(select(Account.handle)))
    assert handles == {"budis", "budi.s", "ani_l", "citra@sosial.example"}
    platforms = {a.handle: a.platform for a in db_session.scalars(select(Account))}
    assert platforms["ani_l"] == "twitter"  # "x" is an alias
    umum = db_session.scalar(select(Unit).where(Unit.path == "Sekretariat/Bagian Umum"))
    assert umum.parent.path == "Sekretariat" and umum.depth == 1
    assert db_session.scalar(select(Staff.employee_class).where(Staff.nip == CITRA)) == "pppk"

    # Same file again: nothing new.
    again = import_roster(db_session, path, agency_code="pemkab-a")
    assert again.applied
    assert again.counts["staff_created"] == again.counts["accounts_created"] == 0
    assert again.counts["staff_unchanged"] == 3 and again.counts["accounts_unchanged"] == 4
    assert _counts(db_session) == (3, 4, 5)

    # Changed position and a moved account: updated in place.
    changed = VALID.replace("Guru,PNS", "Guru Ahli Muda,PNS").replace(
        f"{ANI},Ani Lestari,Guru Ahli Muda,PNS,Dinas Pendidikan,x,ani_l",
        f"{ANI},Ani Lestari,Guru Ahli Muda,PNS,Dinas Pendidikan,x,ani_l\n"
        f"{ANI},Ani Lestari,Guru Ahli Muda,PNS,Dinas Pendidikan,tiktok,@ani.tt",
    )
    third = import_roster(db_session, _write(tmp_path, changed, "v2.csv"), agency_code="pemkab-a")
    assert third.applied
    assert third.counts["staff_updated"] == 1 and third.counts["accounts_created"] == 1
    assert _counts(db_session) == (3, 5, 5)
    assert db_session.scalar(select(Staff.position).where(Staff.nip == ANI)) == "Guru Ahli Muda"
    actions = db_session.scalars(select(AuditLog.action)).all()
    assert actions.count("roster.import") == 3


def test_invalid_rows_are_reported_with_row_numbers_and_nothing_changes(db_session, tmp_path):
    body = (
        f"{BUDI},Budi Santoso,Analis,PNS,Sekretariat,twitter,budi\n"  # row 2 ok
        "12345678,Salah Panjang,Staf,PNS,Sekretariat,,\n"  # row 3 length
        f"{ANI},,Guru,PNS,Sekretariat,,\n"  # row 4 missing name
        f"{ANI[:14]}3{ANI[15:]},Ani,Guru,PNS,Sekretariat,,\n"  # row 5 sex digit 3
        f"199002022019022009,Dodi,Staf,ASN lain,Sekretariat,,\n"  # row 6 bad class
        f"198701012012011004,Eka,Staf,PNS,Sekretariat,twitter,@budi\n"  # row 7 duplicate acct
        f"198801012013011005,Fani,Staf,PNS,Unit Tidak Ada,,\n"  # row 8 unknown unit
        f"198901012014011006,Gita,Staf,PNS,Sekretariat,friendster,gita\n"  # row 9 platform
        f"198901012014011007,Hadi,Staf,PNS,Sekretariat,twitter,\n"  # row 10 half account
    )
    # the unit "Sekretariat" exists; "Unit Tidak Ada" does not
    import_roster(
        db_session,
        _write(tmp_path, f"{CITRA},Citra,Perawat,PPPK,Sekretariat,,\n", "seed.csv"),
        agency_code="pemkab-b",
        create_units=True,
    )
    before = _counts(db_session)
    path = _write(tmp_path, body)
    for dry_run in (True, False):
        report = import_roster(db_session, path, agency_code="pemkab-b", dry_run=dry_run)
        assert not report.applied
        got = {(p.row, p.code) for p in report.errors}
        assert got == {
            (3, "nip_length"),
            (4, "required"),
            (5, "nip_sex"),
            (6, "kelas"),
            (7, "account_dup"),
            (8, "unit_unknown"),
            (9, "platform"),
            (10, "account_half"),
        }
        assert all(p.message("id") and p.message("en") for p in report.problems)
        assert "row 2" in report.problems[[p.row for p in report.problems].index(7)].message("en")
        assert _counts(db_session) == before

    # --skip-invalid imports the good row only.
    report = import_roster(db_session, path, agency_code="pemkab-b", skip_invalid=True)
    assert report.applied and report.counts["staff_created"] == 1
    assert _counts(db_session)[0] == before[0] + 1


def test_account_of_another_staff_in_database_is_rejected(db_session, tmp_path):
    import_roster(
        db_session,
        _write(tmp_path, f"{BUDI},Budi,Analis,PNS,,twitter,budi\n", "a.csv"),
        agency_code="pemkab-c",
    )
    report = import_roster(
        db_session,
        _write(tmp_path, f"{ANI},Ani,Guru,PNS,,twitter,@Budi\n", "b.csv"),
        agency_code="pemkab-c",
    )
    assert not report.applied
    assert [(p.row, p.code) for p in report.errors] == [(2, "account_taken")]


def test_xlsx_import_and_numeric_nip_warning(db_session, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "Nama", "Jabatan", "Kelas", "Unit Kerja", "Platform", "Akun"])
    ws.append([BUDI, "Budi", "Analis", "PNS", "Inspektorat", "facebook", "budi.fb"])
    ws.append([int(ANI), "Ani", "Guru", "PNS", "Inspektorat", "", ""])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    report = import_roster(db_session, path, agency_code="pemkab-d", create_units=True)
    assert [(p.row, p.code) for p in report.errors] == [(3, "nip_numeric")]
    assert not report.applied
    report = import_roster(db_session, path, agency_code="pemkab-d", create_units=True, skip_invalid=True)
    assert report.applied and report.counts["staff_created"] == 1
    assert db_session.scalar(select(Account.handle)) == "budi.fb"


def test_missing_required_column(db_session, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("nama;unit\nBudi;Sekretariat\n", encoding="utf-8")
    report = import_roster(db_session, p, agency_code="pemkab-e")
    assert [(p.row, p.code, p.column) for p in report.errors] == [(1, "missing_column", "nip")]


def test_semicolon_csv_and_agency_required_when_ambiguous(db_session, tmp_path):
    p = tmp_path / "semi.csv"
    p.write_text(f"NIP;nama\n{BUDI};Budi\n", encoding="utf-8")
    with pytest.raises(ValueError):
        import_roster(db_session, p)  # no agency yet and none named
    assert import_roster(db_session, p, agency_code="x").applied
    assert import_roster(db_session, p).applied  # the only agency is the default


def test_reimport_with_fewer_columns_keeps_other_fields(db_session, tmp_path):
    import_roster(db_session, _write(tmp_path, VALID), agency_code="pemkab-f", create_units=True)
    p = tmp_path / "names.csv"
    p.write_text(f"NIP,nama\n{BUDI},Budi Santoso S.E.\n", encoding="utf-8")
    report = import_roster(db_session, p, agency_code="pemkab-f")
    assert report.applied and report.counts["staff_updated"] == 1
    budi = db_session.scalar(select(Staff).where(Staff.nip == BUDI))
    assert budi.name == "Budi Santoso S.E."
    assert budi.position == "Analis Kebijakan" and budi.unit.path == "Sekretariat/Bagian Umum"


def test_unit_subtree_query(db_session, tmp_path):
    body = (
        f"{BUDI},Budi,Analis,PNS,Dinas_A/Bidang 1/Seksi x,,\n"
        f"{ANI},Ani,Guru,PNS,Dinas_A/Bidang 2,,\n"
        f"{CITRA},Citra,Perawat,PPPK,DinasXA,,\n"  # "_" must not act as a LIKE wildcard
    )
    assert import_roster(
        db_session, _write(tmp_path, body), agency_code="pemkab-g", create_units=True
    ).applied
    paths = db_session.scalars(
        select(Unit.path).where(Unit.subtree_clause("Dinas_A")).order_by(Unit.path)
    ).all()
    assert paths == ["Dinas_A", "Dinas_A/Bidang 1", "Dinas_A/Bidang 1/Seksi x", "Dinas_A/Bidang 2"]
    staff = db_session.scalars(
        select(Staff.name)
        .join(Unit, Unit.id == Staff.unit_id)
        .where(Unit.subtree_clause("Dinas_A/Bidang 1"))
        .order_by(Staff.name)
    ).all()
    assert staff == ["Budi"]
