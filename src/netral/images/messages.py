"""User-facing texts of the image checker (Indonesian first, English second), kept as data."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- loading errors -------------------------------------------------------------------
    "not_found": {
        "id": "Berkas gambar tidak ditemukan: {name}",
        "en": "Image file not found: {name}",
    },
    "empty": {
        "id": "Berkas gambar kosong (0 byte): {name}",
        "en": "Image file is empty (0 bytes): {name}",
    },
    "too_large_file": {
        "id": "Berkas gambar terlalu besar ({size} byte; batas {limit} byte): {name}",
        "en": "Image file too large ({size} bytes; limit {limit} bytes): {name}",
    },
    "corrupt": {
        "id": "Berkas bukan gambar yang dapat dibaca atau rusak: {name} ({detail})",
        "en": "Not a readable image, or the file is corrupt: {name} ({detail})",
    },
    "bomb": {
        "id": "Gambar ditolak: ukurannya {width}×{height} piksel melewati batas keamanan "
        "{limit} piksel (kemungkinan 'decompression bomb'): {name}",
        "en": "Image refused: {width}×{height} pixels exceeds the safety limit of {limit} "
        "pixels (possible decompression bomb): {name}",
    },
    "too_wide": {
        "id": "Gambar ditolak: sisi {side} piksel melewati batas {limit} piksel: {name}",
        "en": "Image refused: a side of {side} pixels exceeds the limit of {limit}: {name}",
    },
    "unknown_format": {"id": "format tidak dikenali", "en": "unknown format"},
    "heic_unsupported": {
        "id": "Format HEIC/HEIF belum didukung di instalasi ini (pasang paket pillow-heif "
        "untuk membacanya), atau ubah ke JPEG/PNG terlebih dahulu: {name}",
        "en": "HEIC/HEIF is not supported by this installation (install pillow-heif to read "
        "it), or convert the picture to JPEG/PNG first: {name}",
    },
    "ocr_unavailable": {
        "id": "Tesseract OCR tidak tersedia ({reason}); teks di dalam gambar tidak dibaca. "
        "Pasang paket Debian tesseract-ocr dan tesseract-ocr-ind.",
        "en": "Tesseract OCR is not available ({reason}); text inside the image was not read. "
        "Install the Debian packages tesseract-ocr and tesseract-ocr-ind.",
    },
    # why OCR cannot run (available(), the ocr_unavailable note): Tesseract's own error text,
    # when there is one, stays as a technical detail in parentheses
    "ocr_reason_no_executable": {
        "id": "program tesseract tidak ditemukan",
        "en": "the tesseract program was not found",
    },
    "ocr_reason_failed": {
        "id": "Tesseract gagal dijalankan ({detail})",
        "en": "Tesseract could not be run ({detail})",
    },
    "ocr_reason_no_ind": {
        "id": "model bahasa Indonesia untuk Tesseract belum terpasang (Debian: tesseract-ocr-ind)",
        "en": "Tesseract's Indonesian model is missing (Debian: tesseract-ocr-ind)",
    },
    "ocr_unavailable_short": {
        "id": "Tesseract OCR tidak tersedia: {reason}",
        "en": "Tesseract OCR unavailable: {reason}",
    },
    "images_extra_missing": {
        "id": "ekstra netral[images] belum terpasang (tidak ada: {modules})",
        "en": "netral[images] extra not installed (missing {modules})",
    },
    "gesture_fallback": {
        "id": "Model landmark tangan tidak dapat dimuat ({detail}); gestur dibaca dengan "
        "detektor klasik cadangan yang jauh lebih lemah pada foto nyata. Pasang ulang netral "
        "(berkas model ada di dalam paket) atau periksa NETRAL_HAND_MODEL_DIR.",
        "en": "The hand-landmark model could not be loaded ({detail}); gestures were read "
        "with the classical fallback detector, which is much weaker on real photos. Reinstall "
        "netral (the model files ship inside the package) or check NETRAL_HAND_MODEL_DIR.",
    },
    # --- reasons --------------------------------------------------------------------------
    "gesture_text": {
        "id": "gestur {gesture} di gambar (kotak {box})",
        "en": "{gesture} gesture in the picture (box {box})",
    },
    "gesture_alone": {
        "id": "Gambar memuat gestur tangan {gesture} yang bisa dibaca sebagai salam nomor urut "
        "{number}. Gestur saja belum tentu dukungan (orang mengangkat jari karena banyak "
        "alasan), jadi perlu ditinjau manusia. Hindari pose jari bernomor di foto yang "
        "diunggah; gunakan pose netral seperti kepalan tangan atau tanpa pose.",
        "en": "The picture shows a {gesture} hand gesture that can be read as the ballot-number "
        "{number} salute. A gesture alone is not necessarily support (people raise fingers for "
        "many reasons), so a person should review it. Avoid numbered finger poses in uploaded "
        "photos; use a neutral pose such as a closed fist, or none.",
    },
    "gesture_context": {
        "id": "Gambar memuat gestur tangan {gesture} (salam nomor urut {number}) BERSAMA "
        "konteks pemilu: {context}. Gabungan ini menaikkan risiko menjadi dukungan kepada "
        "peserta pemilu melalui media sosial (SKB 2022 huruf G). Jangan unggah foto ini; "
        "bila sudah, pertimbangkan untuk menghapusnya.",
        "en": "The picture shows a {gesture} hand gesture (ballot-number {number} salute) "
        "TOGETHER WITH election context: {context}. Together they raise the risk to support "
        "for an election contestant on social media (SKB 2022 point G). Do not upload this "
        "photo; if you already did, consider removing it.",
    },
    "attribute_text": {
        "id": "atribut kampanye mirip '{label}' (kecocokan {similarity:.0%}, kotak {box})",
        "en": "campaign attribute resembling '{label}' ({similarity:.0%} match, box {box})",
    },
    "attribute_advice": {
        "id": "Gambar memuat atribut yang mirip '{label}' ({kind}). Mengunggah foto dengan "
        "atribut/logo peserta pemilu termasuk hal yang dilarang bagi ASN (SKB 2022 huruf G). "
        "Periksa kembali gambar ini dan jangan unggah bila memang atribut kampanye.",
        "en": "The picture contains an attribute resembling '{label}' ({kind}). Uploading "
        "photos with a contestant's attributes or logo is among the acts forbidden to civil "
        "servants (SKB 2022 point G). Check the picture and do not upload it if it is a "
        "campaign attribute.",
    },
    "twibbon_text": {
        "id": "bingkai twibbon/overlay berwarna menutupi {coverage:.0%} tepi gambar",
        "en": "twibbon frame / coloured overlay covering {coverage:.0%} of the picture's border",
    },
    "twibbon_advice": {
        "id": "Gambar tampak memakai bingkai twibbon (overlay berwarna dengan teks). Twibbon "
        "dukungan untuk calon atau partai sebagai foto profil termasuk kampanye di media "
        "sosial. Periksa isi bingkainya; gunakan twibbon resmi instansi yang netral saja.",
        "en": "The picture seems to use a twibbon frame (a coloured overlay with text). A "
        "support twibbon for a candidate or party as profile picture counts as campaigning "
        "on social media. Check what the frame says; use only neutral official frames.",
    },
    "ocr_where": {
        "id": "teks di gambar",
        "en": "text in the picture",
    },
    "caption_where": {
        "id": "keterangan (caption)",
        "en": "caption",
    },
    # --- election-context descriptions ----------------------------------------------------
    "ctx_text_flag": {
        "id": "teks kampanye ({where})",
        "en": "campaign text ({where})",
    },
    "ctx_election_words": {
        "id": "kata terkait pemilu ({where}: '{words}')",
        "en": "election words ({where}: '{words}')",
    },
    "ctx_campaign_period": {
        "id": "tanggal {when} berada dalam masa kampanye {pack}",
        "en": "the date {when} is inside the campaign period of {pack}",
    },
    "ctx_party_colour": {
        "id": "warna dominan {colour} ({share:.0%} gambar) yang dipakai peserta pemilu",
        "en": "dominant {colour} colour ({share:.0%} of the picture) used by contestants",
    },
    "ctx_attribute": {
        "id": "atribut '{label}' di gambar",
        "en": "attribute '{label}' in the picture",
    },
    "ctx_twibbon": {
        "id": "bingkai twibbon",
        "en": "a twibbon frame",
    },
    "summary_image": {
        "id": "Gambar {name}: {verdict}. {n_words} kata terbaca, {n_gestures} gestur, "
        "{n_attrs} atribut.",
        "en": "Image {name}: {verdict}. {n_words} words read, {n_gestures} gestures, "
        "{n_attrs} attributes.",
    },
}

GESTURE_NAMES: dict[str, dict[str, str]] = {
    "satu_jari": {"id": "satu jari (☝)", "en": "one finger (☝)"},
    "dua_jari": {"id": "dua jari / V (✌)", "en": "two fingers / V (✌)"},
    "tiga_jari": {"id": "tiga jari", "en": "three fingers"},
    "metal": {"id": "salam metal (🤘/🤟)", "en": "metal / horns sign (🤘/🤟)"},
    "empat_jari": {"id": "empat jari", "en": "four fingers"},
    "lima_jari": {"id": "telapak terbuka", "en": "open hand"},
    "kepal": {"id": "kepalan tangan", "en": "fist"},
    "jempol": {"id": "jempol (👍)", "en": "thumbs up (👍)"},
    "tunjuk": {"id": "menunjuk", "en": "pointing"},
    "pistol": {"id": "jempol + telunjuk", "en": "thumb + index"},
    "telepon": {"id": "jempol + kelingking", "en": "thumb + little finger"},
    "ok": {"id": "tanda OK (👌)", "en": "OK sign (👌)"},
    "lainnya": {"id": "pose lain", "en": "other pose"},
}


def msg(key: str, lang: str = "id", **kw: object) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["id"]
    return text.format(**kw) if kw else text


def gesture_name(key: str, lang: str = "id") -> str:
    entry = GESTURE_NAMES.get(key, {"id": key, "en": key})
    return entry.get(lang) or entry["id"]
