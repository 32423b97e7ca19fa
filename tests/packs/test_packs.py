"""Knowledge packs: shipped data, validation and CSV import with line-numbered errors."""

from datetime import date
from pathlib import Path

import pytest

from netral.packs import available_packs, load_pack, load_pack_dir
from netral.packs.csvimport import CsvPackError, build_pack, read_entities_csv, write_pack

SHARED_CSV = Path(__file__).resolve().parents[3] / "shared" / "domain" / "pemilu2024.csv"


def test_shipped_packs_load() -> None:
    names = set(available_packs())
    assert {"pemilu-2024", "pemilu-2019", "pilkada-2024"} <= names


def test_pemilu_2024_has_pairs_and_all_parties() -> None:
    p = load_pack("pemilu-2024")
    pairs = {e.number: e for e in p.entities if e.kind == "pair"}
    assert set(pairs) == {1, 2, 3}
    assert "Prabowo" in pairs[2].names and "Gibran" in pairs[2].names
    national = [e for e in p.entities if e.kind == "party"]
    aceh = [e for e in p.entities if e.kind == "local_party"]
    assert len(national) == 18 and len(aceh) == 6
    assert sorted(e.number for e in aceh) == [18, 19, 20, 21, 22, 23]
    assert p.period_at(date(2024, 1, 5)).kind == "kampanye"
    assert p.period_at(date(2024, 2, 12)).kind == "tenang"


def test_pemilu_2019_pairs() -> None:
    p = load_pack("pemilu-2019")
    one = next(e for e in p.entities if e.kind == "pair" and e.number == 1)
    two = next(e for e in p.entities if e.kind == "pair" and e.number == 2)
    assert "Jokowi" in one.names and "Sandiaga Uno" in two.names
    assert "2019GantiPresiden" in two.hashtags


def test_pilkada_pack_has_regions() -> None:
    p = load_pack("pilkada-2024")
    regions = {c.region for c in p.contests}
    assert len(regions) >= 3
    assert p.election_date == date(2024, 11, 27)


def test_aliases_sorted_into_names_and_weak(tmp_path: Path) -> None:
    ents = {e["id"]: e for e in read_entities_csv(SHARED_CSV)} if SHARED_CSV.exists() else {}
    if not ents:
        pytest.skip("shared/domain/pemilu2024.csv not beside the checkout")
    pair2 = ents["pair-2"]
    assert "Prabowo" in pair2["names"]
    assert "gemoy" in pair2["weak"]  # everyday word: only with election context
    assert not any(a.lower() in ("02", "no 2", "dua") for a in pair2["names"] + pair2["weak"])


def _csv(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "pilkada.csv"
    p.write_text("kind,number,name,short_name,aliases,slogans_hashtags,contest\n" + body,
                 encoding="utf-8")
    return p


def test_import_valid_csv_builds_a_loadable_pack(tmp_path: Path) -> None:
    src = _csv(tmp_path, "pair,1,Budi Santoso – Siti Aminah,Budi-Siti,Budi Santoso;Siti Aminah;"
                         "BeSt,#BudiSiti2029;Maju Bersama,pilbup-contoh\n"
                         "pair,2,Agus Salim – Rina Wati,Agus-Rina,Agus Salim;Rina Wati,"
                         "#AgusRina,pilbup-contoh\n")
    pack = build_pack(src, name="pilkada-2029-contoh", title="Pilbup Contoh 2029",
                      election_date=date(2029, 11, 28),
                      campaign=(date(2029, 9, 25), date(2029, 11, 24)))
    out = write_pack(pack, tmp_path / "packs" / pack.name)
    loaded = load_pack_dir(out.parent)
    assert loaded.name == "pilkada-2029-contoh"
    assert [e.number for e in loaded.entities] == [1, 2]
    assert "BudiSiti2029" in loaded.entities[0].hashtags


def test_import_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    src = _csv(tmp_path, "pair,,Tanpa Nomor,TN,Tanpa Nomor,,c\n"
                         "presiden,1,Salah Jenis,SJ,Salah Jenis,,c\n"
                         "pair,x,Nomor Huruf,NH,Nomor Huruf,,c\n"
                         "pair,3,Benar Sekali,BS,Benar Sekali,,c\n"
                         "pair,3,Benar Sekali,BS,Benar Sekali,,c\n")
    with pytest.raises(CsvPackError) as exc:
        read_entities_csv(src)
    problems = exc.value.problems
    assert any(":2:" in p and "ballot number" in p for p in problems)
    assert any(":3:" in p and "kind" in p for p in problems)
    assert any(":4:" in p and "whole number" in p for p in problems)
    assert any(":6:" in p and "duplicate of line 5" in p for p in problems)


def test_import_rejects_missing_columns_and_bad_encoding(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("kind,number,name\npair,1,X\n", encoding="utf-8")
    with pytest.raises(CsvPackError, match="missing column"):
        read_entities_csv(p)
    p.write_bytes(b"kind,number,name,short_name,aliases,slogans_hashtags\npair,1,\xff\xfe,A,B,\n")
    with pytest.raises(CsvPackError, match=r":2: not UTF-8"):
        read_entities_csv(p)


def test_a_whole_pack_error_reads_without_an_empty_location(tmp_path):
    """The name's pattern is checked by the dataclass (no pydantic field constraint): its
    error has no location, and the message must not read ``pack.yaml: : Value error``."""
    import shutil

    from netral.packs import PackError, available_packs, load_pack_dir

    pack_dir = tmp_path / "bad"
    shutil.copytree(available_packs()["pemilu-2024"], pack_dir)
    yml = pack_dir / "pack.yaml"
    yml.write_text("\n".join("name: Bad Name" if line.startswith("name:") else line
                             for line in yml.read_text(encoding="utf-8").splitlines()) + "\n",
                   encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack_dir(pack_dir)
    assert str(caught.value) == (f"{yml}: Value error, name 'Bad Name' should match pattern "
                                 "'^[a-z0-9][a-z0-9._-]*$'")


def test_the_parties_accounts_extend_the_reference_table_rows() -> None:
    # entities.csv is the domain reference verbatim (no accounts column): pack.yaml's `extend`
    # adds the parties' X accounts to its rows, so a mention names the party
    parties = {e.id: e for e in load_pack("pemilu-2024").entities if e.kind == "party"}
    assert parties["party-15"].accounts == ["psi_id"]
    assert parties["party-2"].name == "Partai Gerakan Indonesia Raya"  # the row itself kept
    import netral

    r = netral.check("Mohon doa restu, kami berjuang bersama @psi_id", when="2023-10-03")
    assert any(t.id == "pemilu-2024/party-15" for t in r.targets)


@pytest.mark.parametrize(("extend", "message"), [
    ("extend:\n  party-99: {accounts: [x]}\n", "extend: no entity 'party-99' in this pack"),
    ("extend:\n  party-1: {accounts: DPP_PKB}\n", "extend.party-1.accounts: only list fields"),
    ("extend: [party-1]\n", "extend: expected a mapping"),
])
def test_a_bad_extend_names_the_file_and_the_entry(tmp_path: Path, extend: str,
                                                    message: str) -> None:
    import shutil

    from netral.packs import PackError

    pack_dir = tmp_path / "p"
    shutil.copytree(available_packs()["pemilu-2024"], pack_dir)
    yml = pack_dir / "pack.yaml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text[:text.index("\nextend:")] + "\n" + extend, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack_dir(pack_dir)
    assert str(caught.value).startswith(f"{yml}: ") and message in str(caught.value)
