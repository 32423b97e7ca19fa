"""Message catalogue for evidence checks and commands (Indonesian default, English)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "id": {
        # bundle container
        "zip_unreadable": "{target}: berkas bukan arsip ZIP yang dapat dibaca ({detail})",
        "zip_duplicate": "{target}: nama berkas muncul lebih dari sekali di dalam arsip",
        "zip_unsafe_name": "{target}: nama berkas berbahaya (jalur absolut atau '..'); "
        "jangan diekstrak begitu saja",
        "zip_too_large": "{target}: berkas terlalu besar untuk diperiksa ({size} bita)",
        "entry_time_backwards": "{target}: waktu entri nomor {seq} lebih awal dari entri "
        "sebelumnya",
        "zip_member_corrupt": "{target}: isi berkas rusak di dalam arsip ({detail})",
        "manifest_missing": "{target}: manifest.json tidak ada",
        "manifest_invalid": "{target}: manifest tidak dapat dibaca ({detail})",
        "manifest_signature_missing": "{target}: tanda tangan manifest tidak ada",
        "manifest_signature_invalid": "{target}: tanda tangan manifest TIDAK sah — manifest.json "
        "atau tanda tangannya telah diubah",
        "signer_key_invalid": "{target}: kunci publik penanda tangan tidak dapat dibaca",
        # files
        "file_missing": "{target}: berkas yang tercantum di manifest tidak ada",
        "file_size": "{target}: ukuran berubah (seharusnya {expected} bita, ternyata {actual})",
        "file_hash": "{target}: isi berkas telah DIUBAH (SHA-256 seharusnya {expected}, "
        "ternyata {actual})",
        "file_unexpected": "{target}: berkas tambahan yang tidak tercantum di manifest",
        "file_not_in_ledger": "{target}: berkas bukti tidak tercatat di buku besar",
        "sums_mismatch": "{target}: SHA256SUMS tidak sesuai dengan manifest ({detail})",
        # ledger
        "entry_missing": "{target}: entri buku besar nomor {first}–{last} HILANG "
        "(dihapus dari rantai)",
        "entry_out_of_order": "{target}: entri nomor {seq} di luar urutan "
        "(diharapkan nomor {expected}; entri diurutkan ulang atau digandakan)",
        "entry_body_altered": "{target}: isi entri nomor {seq} telah DIUBAH",
        "entry_hash_mismatch": "{target}: data entri nomor {seq} telah diubah "
        "(hash entri tidak cocok)",
        "entry_prev_mismatch": "{target}: entri nomor {seq} tidak menyambung ke entri "
        "sebelumnya (rantai diputus, disisipi atau diurutkan ulang)",
        "entry_not_in_proof": "{target}: entri nomor {seq} tidak ada dalam bukti rantai",
        "capture_file_mismatch": "{target}: hash berkas tidak sama dengan yang dicatat di "
        "buku besar (entri {seq})",
        "capture_file_absent": "{target}: berkas yang dicatat di buku besar (entri {seq}) "
        "tidak ada di paket",
        "proof_head_mismatch": "{target}: rantai tidak berakhir di kepala rantai yang "
        "ditandatangani (seharusnya {expected}, ternyata {actual})",
        "proof_missing": "{target}: tidak ada bukti rantai yang menghubungkan entri ke kepala "
        "rantai bertanda tangan",
        # heads, keys, tokens
        "head_chain_mismatch": "{target}: kepala rantai tidak cocok dengan entri buku besar "
        "nomor {seq}",
        "head_statement_invalid": "{target}: pernyataan kepala rantai tidak dapat dibaca",
        "head_statement_mismatch": "{target}: pernyataan kepala rantai berbeda pada '{field}' "
        "(seharusnya {expected}, ternyata {actual})",
        "head_key_missing": "{target}: kunci publik penanda tangan tidak ada",
        "head_key_invalid": "{target}: kunci publik penanda tangan tidak dapat dibaca",
        "head_key_mismatch": "{target}: kunci penanda tangan bukan kunci yang disebut dalam "
        "pernyataan ({actual} ≠ {expected})",
        "key_untrusted": "{target}: kunci penanda tangan {actual} bukan kunci instansi yang "
        "diharapkan ({expected})",
        "head_signature_missing": "{target}: tanda tangan Ed25519 tidak ada",
        "head_signature_invalid": "{target}: tanda tangan Ed25519 TIDAK sah",
        "token_missing": "{target}: kepala rantai belum diberi cap waktu RFC 3161",
        "token_chain_missing": "{target}: rantai sertifikat TSA tidak ada",
        "token_invalid": "{target}: token cap waktu TIDAK sah ({reason})",
        "token_required": "{target}: cap waktu RFC 3161 diwajibkan tetapi tidak ada",
        "append_only_missing": "{target}: pemicu (trigger) tambah-saja tidak terpasang pada "
        "tabel {table}",
        # command messages
        "verify_ok": "SAH: semua hash, rantai, tanda tangan dan cap waktu sesuai.",
        "verify_ok_unstamped": "SAH: semua hash, rantai dan tanda tangan sesuai (sebagian "
        "kepala rantai belum bercap waktu RFC 3161; waktunya hanya dijamin instansi).",
        "verify_fail": "TIDAK SAH: {n} masalah ditemukan.",
        "ledger_ok": "Buku besar utuh: {entries} entri, {heads} kepala rantai "
        "({stamped} bercap waktu).",
        "ledger_fail": "Buku besar TIDAK utuh: {n} masalah ditemukan.",
        "keygen_done": "Kunci Ed25519 dibuat: {path}\nKunci publik: {pub}\nSidik jari: {fpr}",
        "key_exists": "{path}: kunci sudah ada (pakai --force untuk mengganti; kepala rantai "
        "lama tetap dapat diperiksa dengan kunci publik lamanya)",
        "capture_done": "Butir {item} direkam sebagai entri buku besar nomor {seq} "
        "({files} berkas).",
        "export_done": "Paket bukti ditulis: {path} ({items} butir, {entries} entri, "
        "{heads} kepala rantai).",
        "timestamp_done": "Kepala rantai nomor {seq} ditandatangani{stamped}.",
        "timestamp_stamped": " dan diberi cap waktu oleh {tsa} ({time})",
        "no_tsa": "NETRAL_TSA_URL belum diatur; kepala rantai hanya ditandatangani.",
        "no_tsa_ca": "NETRAL_TSA_CA (berkas PEM sertifikat TSA) harus diatur bersama "
        "NETRAL_TSA_URL.",
        "tsa_failed": "Permintaan cap waktu gagal: {detail} (ulangi nanti, atau ekspor dengan "
        "--no-timestamp; kepala rantai tetap ditandatangani)",
        "empty_ledger": "Buku besar masih kosong; belum ada yang dapat ditandatangani.",
        "item_not_found": "Butir {item} tidak ditemukan di basis data.",
        "case_not_found": "Kasus {case} tidak ditemukan di basis data.",
        "nothing_to_export": "Tidak ada bukti terekam untuk cakupan ini "
        "(rekam dulu dengan `netral evidence capture --item ID`).",
        "scope_required": "Pilih tepat satu cakupan: --case ID, --item ID atau --all.",
        "store_clean": "Penyimpanan bukti bersih: {objects} berkas, semua tercatat di buku besar.",
        "store_report": "Penyimpanan bukti: {objects} berkas; {stale} berkas sementara yang "
        "terbengkalai, {unreferenced} berkas tanpa rekaman di buku besar, {missing} berkas "
        "yang dirujuk rekaman tetapi HILANG.",
        "store_fixed": "Dibersihkan: {removed} berkas ({bytes} bita).",
        "store_fix_hint": "Jalankan dengan --fix untuk menghapus berkas sementara dan berkas "
        "tanpa rekaman (yang berumur lebih dari satu jam).",
        "store_missing": "Berkas bukti hilang (SHA-256 {sha}): pulihkan dari cadangan; rekaman "
        "di buku besar tetap menyimpan hash-nya.",
        "purge_dry": "Uji coba: {captures} rekaman milik butir yang sudah dihapus; {blobs} berkas "
        "({bytes} bita) akan dihapus. Jalankan dengan --apply untuk menghapus.",
        "purge_done": "{blobs} berkas bukti ({bytes} bita) dari {captures} rekaman milik butir "
        "yang sudah dihapus telah dihapus; hash di buku besar tetap.",
        "key_error": "{detail}",
        "store_error": "{detail}",
        "file_error": "{path}: {detail}",
    },
    "en": {
        "zip_unreadable": "{target}: not a readable ZIP archive ({detail})",
        "zip_duplicate": "{target}: file name occurs more than once in the archive",
        "zip_unsafe_name": "{target}: dangerous file name (absolute path or '..'); do not "
        "extract blindly",
        "zip_too_large": "{target}: file too large to check ({size} bytes)",
        "entry_time_backwards": "{target}: entry {seq} is dated before the entry preceding it",
        "zip_member_corrupt": "{target}: file content is corrupt inside the archive ({detail})",
        "manifest_missing": "{target}: manifest.json is missing",
        "manifest_invalid": "{target}: manifest cannot be read ({detail})",
        "manifest_signature_missing": "{target}: manifest signature is missing",
        "manifest_signature_invalid": "{target}: manifest signature is NOT valid — "
        "manifest.json or its signature was changed",
        "signer_key_invalid": "{target}: signer public key cannot be read",
        "file_missing": "{target}: file listed in the manifest is missing",
        "file_size": "{target}: size changed (expected {expected} bytes, found {actual})",
        "file_hash": "{target}: file content was ALTERED (SHA-256 expected {expected}, "
        "found {actual})",
        "file_unexpected": "{target}: extra file not listed in the manifest",
        "file_not_in_ledger": "{target}: evidence file is not recorded in the ledger",
        "sums_mismatch": "{target}: SHA256SUMS does not match the manifest ({detail})",
        "entry_missing": "{target}: ledger entries {first}–{last} are MISSING "
        "(removed from the chain)",
        "entry_out_of_order": "{target}: entry {seq} is out of order (expected {expected}; "
        "entries reordered or duplicated)",
        "entry_body_altered": "{target}: content of entry {seq} was ALTERED",
        "entry_hash_mismatch": "{target}: fields of entry {seq} were altered "
        "(entry hash does not match)",
        "entry_prev_mismatch": "{target}: entry {seq} does not link to the entry before it "
        "(chain broken, spliced or reordered)",
        "entry_not_in_proof": "{target}: entry {seq} is not part of the chain proof",
        "capture_file_mismatch": "{target}: file hash differs from the one recorded in the "
        "ledger (entry {seq})",
        "capture_file_absent": "{target}: file recorded in the ledger (entry {seq}) is not in "
        "the bundle",
        "proof_head_mismatch": "{target}: the chain does not end at the signed head "
        "(expected {expected}, found {actual})",
        "proof_missing": "{target}: no chain proof links the entry to a signed head",
        "head_chain_mismatch": "{target}: head does not match ledger entry {seq}",
        "head_statement_invalid": "{target}: head statement cannot be read",
        "head_statement_mismatch": "{target}: head statement differs in '{field}' "
        "(expected {expected}, found {actual})",
        "head_key_missing": "{target}: signer public key is missing",
        "head_key_invalid": "{target}: signer public key cannot be read",
        "head_key_mismatch": "{target}: signing key is not the key named in the statement "
        "({actual} ≠ {expected})",
        "key_untrusted": "{target}: signing key {actual} is not the expected agency key "
        "({expected})",
        "head_signature_missing": "{target}: Ed25519 signature is missing",
        "head_signature_invalid": "{target}: Ed25519 signature is NOT valid",
        "token_missing": "{target}: head has no RFC 3161 timestamp yet",
        "token_chain_missing": "{target}: TSA certificate chain is missing",
        "token_invalid": "{target}: timestamp token is NOT valid ({reason})",
        "token_required": "{target}: an RFC 3161 timestamp is required but absent",
        "append_only_missing": "{target}: append-only triggers are not installed on table "
        "{table}",
        "verify_ok": "VALID: every hash, the chain, signatures and timestamps hold.",
        "verify_ok_unstamped": "VALID: every hash, the chain and signatures hold (some heads "
        "have no RFC 3161 timestamp; their time rests on the agency's word only).",
        "verify_fail": "NOT VALID: {n} problem(s) found.",
        "ledger_ok": "Ledger intact: {entries} entries, {heads} heads ({stamped} timestamped).",
        "ledger_fail": "Ledger NOT intact: {n} problem(s) found.",
        "keygen_done": "Ed25519 key created: {path}\nPublic key: {pub}\nFingerprint: {fpr}",
        "key_exists": "{path}: a key already exists (use --force to replace it; old heads stay "
        "checkable with their old public key)",
        "capture_done": "Item {item} captured as ledger entry {seq} ({files} files).",
        "export_done": "Evidence bundle written: {path} ({items} items, {entries} entries, "
        "{heads} heads).",
        "timestamp_done": "Head at entry {seq} signed{stamped}.",
        "timestamp_stamped": " and timestamped by {tsa} ({time})",
        "no_tsa": "NETRAL_TSA_URL is not set; the head is only signed.",
        "no_tsa_ca": "NETRAL_TSA_CA (PEM file of the TSA certificates) must be set with "
        "NETRAL_TSA_URL.",
        "tsa_failed": "Timestamp request failed: {detail} (retry later, or export with "
        "--no-timestamp; the head is still signed)",
        "empty_ledger": "The ledger is empty; nothing to sign yet.",
        "item_not_found": "Item {item} not found in the database.",
        "case_not_found": "Case {case} not found in the database.",
        "nothing_to_export": "No captured evidence for this scope "
        "(capture first with `netral evidence capture --item ID`).",
        "scope_required": "Choose exactly one scope: --case ID, --item ID or --all.",
        "store_clean": "Evidence store clean: {objects} files, all recorded in the ledger.",
        "store_report": "Evidence store: {objects} files; {stale} stale temporary files, "
        "{unreferenced} files no ledger entry refers to, {missing} files a capture refers to "
        "that are MISSING.",
        "store_fixed": "Cleaned up: {removed} files ({bytes} bytes).",
        "store_fix_hint": "Run with --fix to remove the temporary and unreferenced files (older "
        "than one hour).",
        "store_missing": "Evidence file missing (SHA-256 {sha}): restore it from a backup; the "
        "ledger entry still holds its hash.",
        "purge_dry": "Dry run: {captures} captures of items already removed; {blobs} files "
        "({bytes} bytes) would be deleted. Run with --apply to delete.",
        "purge_done": "Deleted {blobs} evidence files ({bytes} bytes) of {captures} captures of "
        "removed items; the ledger keeps their hashes.",
        "key_error": "{detail}",
        "store_error": "{detail}",
        "file_error": "{path}: {detail}",
    },
}


def render(code: str, lang: str = "id", **params) -> str:
    table = MESSAGES.get(lang) or MESSAGES["id"]
    template = table.get(code) or MESSAGES["id"].get(code) or code
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return f"{template} {params}"
