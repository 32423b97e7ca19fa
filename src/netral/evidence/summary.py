"""The human-readable summary of a bundle, in Indonesian (``ringkasan.txt``)."""

from __future__ import annotations

import textwrap
from typing import Any

import orjson

SCOPE_ID = {"case": "Kasus #{id}", "item": "Butir #{id}", "items": "Butir terpilih",
            "all": "Seluruh bukti terekam"}

HOW_TO_CHECK = """\
CARA MEMERIKSA PAKET INI
  Dengan netral (tanpa basis data, tanpa jaringan):
    netral evidence verify {zipname}
  Tanpa netral, dengan alat terbuka (setelah `unzip {zipname} -d paket && cd paket`):
    1. Hash setiap berkas:        sha256sum -c SHA256SUMS
    2. Tanda tangan manifest:     openssl pkeyutl -verify -pubin -inkey keys/signer.pub.pem \\
                                    -rawin -in manifest.json -sigfile manifest.sig
    3. Tanda tangan kepala rantai: openssl pkeyutl -verify -pubin \\
                                    -inkey {head}/signer.pub.pem -rawin \\
                                    -in {head}/head.txt -sigfile {head}/head.sig
{ts_step}
    5. Sidik jari kunci instansi: openssl pkey -pubin -in keys/signer.pub.pem -outform DER \\
                                    | sha256sum   (bandingkan dengan yang diumumkan instansi)
  Rantai hash buku besar dihitung ulang seperti dijelaskan di docs/evidence.md.

CATATAN
  Pemeriksaan ini membuktikan bahwa berkas tidak berubah sejak direkam dan sejak cap waktu
  diberikan. Pemeriksaan ini TIDAK menilai apakah isinya merupakan pelanggaran netralitas;
  penilaian itu tetap wewenang pejabat yang berwenang.
"""

TS_STEP = """\
    4. Cap waktu RFC 3161:        openssl ts -verify -data {head}/head.txt \\
                                    -in {head}/token.tsr -CAfile {head}/chain.pem"""


def _meta(files: dict[str, bytes], base: str) -> dict[str, Any]:
    try:
        return orjson.loads(files.get(f"{base}/meta.json", b"{}"))
    except orjson.JSONDecodeError:
        return {}


def write_summary(manifest: dict[str, Any], files: dict[str, bytes],
                  zipname: str = "paket.zip") -> str:
    scope = manifest["scope"]
    scope_txt = SCOPE_ID.get(scope["type"], scope["type"]).format(id=scope.get("id"))
    if scope.get("title"):
        scope_txt += f" — {scope['title']}"
    proof = manifest["ledger"]["proof"]
    cover = next(h for h in manifest["heads"] if h["id"] == proof["head_id"])
    lines = [
        "RINGKASAN PAKET BUKTI — NETRALITAS ASN",
        "=" * 40,
        f"Dibuat        : {manifest['created_at']} oleh {manifest['generator']}",
        f"Cakupan       : {scope_txt}",
        f"Penanda tangan: kunci Ed25519 instansi {manifest['signer']['fingerprint']}",
        f"Jumlah butir  : {len(manifest['items'])}; entri buku besar: "
        f"{len(manifest['ledger']['entries'])}",
        "",
        "KEPALA RANTAI (penutup bukti)",
        f"  Entri nomor {cover['seq']}, hash {cover['entry_hash']}",
    ]
    if cover.get("token"):
        lines.append(
            f"  Cap waktu RFC 3161: {cover.get('tsa_gen_time')} dari {cover.get('tsa_url')}"
        )
    else:
        lines.append("  Cap waktu RFC 3161: BELUM ADA (hanya ditandatangani instansi)")
    other = [h for h in manifest["heads"] if h["id"] != cover["id"]]
    for h in other:
        stamp = f"bercap waktu {h.get('tsa_gen_time')}" if h.get("token") else "tanpa cap waktu"
        lines.append(f"  Kepala lain: entri nomor {h['seq']} ({stamp})")
    lines += ["", "BUTIR BUKTI"]
    for n, e in enumerate(manifest["ledger"]["entries"], start=1):
        m = _meta(files, e["dir"])
        body = orjson.loads(e["body_json"])
        who = f"{m.get('platform', '?')} @{m.get('handle', '?')}"
        staff = m.get("staff") or {}
        if staff:
            who += f" — {staff.get('name')} (NIP {staff.get('nip')})"
        lines += [
            f"{n}. Butir #{e['item_id']} ({m.get('kind', '?')}): {who}",
            f"   Diposting     : {m.get('posted_at') or '-'}",
            f"   URL sumber    : {m.get('source_url') or '-'}",
            f"   Dikumpulkan   : {m.get('collected_at') or '-'} oleh {m.get('collector') or '-'}",
            f"   Direkam       : {body.get('captured_at') or '-'}",
            f"   Entri buku besar nomor {e['seq']}, hash {e['entry_hash']}",
        ]
        text = files.get(f"{e['dir']}/text.txt", b"").decode("utf-8", "replace").strip()
        if text:
            snippet = text if len(text) <= 400 else text[:400] + " …"
            lines.append("   Teks          :")
            lines += textwrap.wrap(snippet, 88, initial_indent="     ",
                                   subsequent_indent="     ") or ["     -"]
        lines.append("   Berkas        :")
        for f in body.get("files", []):
            lines.append(f"     {f['name']} ({f['size']} bita) sha256 {f['sha256']}")
        if m.get("media_not_fetched"):
            # Older captures list bare references; newer ones say why each was not taken.
            shown = [x if isinstance(x, str) else f"{x.get('ref')} ({x.get('why')})"
                     for x in m["media_not_fetched"]]
            lines.append("   Media tidak diambil (hanya rujukan): " + ", ".join(shown))
        lines.append("")
    head_dir = cover["statement"].rsplit("/", 1)[0]
    ts_step = (TS_STEP.format(head=head_dir) if cover.get("token")
               else "    4. Cap waktu RFC 3161:        (kepala rantai ini belum bercap waktu)")
    lines.append(HOW_TO_CHECK.format(zipname=zipname, head=head_dir, ts_step=ts_step))
    return "\n".join(lines)
