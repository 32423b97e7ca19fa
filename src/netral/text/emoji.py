"""Emoji kept as signals: each maps to a signal word the lexicon can match.

Ballot-number salutes (☝️ ✌️ 🤟 🤘), party symbols (🐂 🌳 🕋 ☀️ 🦅) and campaign-programme
pictures are ambiguous alone; the detector only counts them together with election context.
Skin-tone modifiers and variation selectors are folded away by the tokeniser's lookup below.
"""

from __future__ import annotations

_BASE = {
    "☝": "emo_1jari",
    "👆": "emo_1jari",
    "✌": "emo_2jari",
    "🤞": "emo_2jari",
    "🤟": "emo_3jari",
    "🤘": "emo_metal",
    "🖐": "emo_5jari",
    "✋": "emo_5jari",
    "🐂": "emo_banteng",
    "🐃": "emo_banteng",
    "🌳": "emo_beringin",
    "🕋": "emo_kabah",
    "☀": "emo_matahari",
    "🌞": "emo_matahari",
    "🦅": "emo_garuda",
    "🍱": "emo_makan",
    "🥛": "emo_susu",
    "🕺": "emo_joget",
    "💃": "emo_joget",
    "👍": "emo_jempol",
    "👊": "emo_tinju",
    "✊": "emo_tinju",
    "💪": "emo_semangat",
    "🔥": "emo_semangat",
    "❤": "emo_cinta",
    "😍": "emo_cinta",
    "🥰": "emo_cinta",
    "🇮🇩": "emo_indonesia",
    "😡": "emo_marah",
    "🤮": "emo_jijik",
    "💩": "emo_jijik",
    "🤡": "emo_ejek",
    "😂": "emo_tawa",
    "🤣": "emo_tawa",
    "🙏": "emo_doa",
    "🗳": "emo_kotaksuara",
}
_MODIFIERS = ["", "\ufe0f"] + [chr(c) for c in range(0x1F3FB, 0x1F400)]

EMOJI_SIGNALS: dict[str, str] = {}
for _e, _sig in _BASE.items():
    for _m in _MODIFIERS:
        EMOJI_SIGNALS[_e + _m] = _sig
        EMOJI_SIGNALS[_e + _m + "\ufe0f"] = _sig


