"""The normaliser on its own: de-obfuscation and the map back to the original text."""

import re

import pytest

from netral.text import Normaliser, normalise

VOCAB = ["prabowo", "gibran", "anies", "ganjar", "mahfud", "gemoy", "salam", "jari", "coblos"]


@pytest.fixture(scope="module")
def norm() -> Normaliser:
    return Normaliser(VOCAB)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("pr4b0w0", "prabowo"),
        ("g4nj4r", "ganjar"),
        ("4n1es", "anies"),
        ("c0bl0s", "coblos"),
        ("pilihhhh", "pilih"),
        ("gemoyyy", "gemoy"),
        ("p r a b o w o", "prabowo"),
        ("a.n.i.e.s", "anies"),
        ("P-R-A-B-O-W-O", "prabowo"),
        ("ＰＲＡＢＯＷＯ", "prabowo"),  # fullwidth letters (NFKC)
        ("𝐏𝐫𝐚𝐛𝐨𝐰𝐨", "prabowo"),  # mathematical bold
        ("nyoblos", "coblos"),
        ("nomer dua", "nomor 2"),
        ("no 2", "nomor 2"),
        ("nomer 02", "nomor 02"),
        ("paslon 2", "paslon 2"),
        ("salam tiga jari", "salam 3 jari"),
        ("ojo lali nyoblos", "jangan lupa coblos"),
        ("hayu urang milih", "ayo pilih"),
        ("jan lupo", "jangan lupa"),
        ("menangke", "menangkan"),
        ("dukungan", "dukung"),
    ],
)
def test_deobfuscation(norm: Normaliser, raw: str, expected: str) -> None:
    assert norm.normalise(raw).text.strip() == expected


@pytest.mark.parametrize(
    ("raw", "words", "tag"),
    [
        ("#AniesPresiden", "anies presiden", "aniespresiden"),
        ("#Ganjar2024", "ganjar 2024", "ganjar2024"),
        ("#PrabowoGibran2024", "prabowo gibran 2024", "prabowogibran2024"),
        ("#prabowogemoy", "prabowo gemoy", "prabowogemoy"),
        ("#G4nj4rM4hfud2024", "ganjar mahfud 2024", "g4nj4rm4hfud2024"),
    ],
)
def test_hashtags_are_split_and_kept(norm: Normaliser, raw: str, words: str, tag: str) -> None:
    nt = norm.normalise(raw)
    assert nt.text.strip() == words
    assert [h.text for h in nt.hashtags] == [tag]


def test_emoji_become_signals_and_keycaps_digits(norm: Normaliser) -> None:
    nt = norm.normalise("Salam ✌️ dan ☝🏽 dan 🤟 atau 🤘 nomor 2️⃣")
    assert nt.text.split() == ["salam", "emo_2jari", "dan", "emo_1jari", "dan", "emo_3jari",
                               "atau", "emo_metal", "nomor", "2"]


def test_urls_and_mentions_masked_but_kept(norm: Normaliser) -> None:
    text = "cek https://example.org/x?a=1 kata @prabowo"
    nt = norm.normalise(text)
    assert "urltoken" in nt.text and "@prabowo" in nt.text
    assert [u.text for u in nt.urls] == ["https://example.org/x?a=1"]
    assert [m.text for m in nt.mentions] == ["prabowo"]


def test_every_token_maps_back_to_the_original(norm: Normaliser) -> None:
    text = "Ayo  c0bl0s   p r a b o w o, #PrabowoGibran2024 ✌️!!"
    nt = norm.normalise(text)
    for tok in nt.tokens:
        assert 0 <= tok.start < tok.end <= len(text)
    # the de-obfuscated name points at the spaced-out letters in the original
    idx = nt.text.index("prabowo")
    s, e = nt.span(idx, idx + len("prabowo"))
    assert text[s:e] == "p r a b o w o"
    s, e = nt.span(nt.text.index("coblos"), nt.text.index("coblos") + 6)
    assert text[s:e] == "c0bl0s"


def test_plain_words_untouched() -> None:
    nt = normalise("Rapat koordinasi persiapan upacara 17 Agustus")
    assert nt.text.strip() == "rapat koordinasi persiapan upacara 17 agustus"


def test_repeated_letters_keep_real_doubles() -> None:
    assert normalise("saat maaf taat").text.strip() == "saat maaf taat"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "🙂" * 50, "a" * 10_000, "1 2 3 4 5 6"])
def test_odd_input_never_raises(text: str) -> None:
    nt = normalise(text)
    assert isinstance(nt.text, str)


def test_digits_the_splitter_does_not_see_as_digits_never_recurse() -> None:
    # "➀ℕ" crashed the detector with RecursionError: ➀ is str.isdigit() but not regex \d, so
    # the letter/digit split returned the word itself and the word was split again, forever
    import sys

    from netral.text import Normaliser

    odd = [chr(c) for c in range(sys.maxunicode + 1)
           if chr(c).isdigit() and not re.fullmatch(r"\d", chr(c))]
    assert odd, "the Unicode tables have such digits (➀, ², …)"
    n = Normaliser()
    for ch in odd:
        for text in (ch + "ℕ", "a" + ch + "b", ch + "n2024"):
            assert n.normalise(text).tokens is not None


@pytest.mark.parametrize(("text", "words"), [
    ("hati2 di jalan", ["hati", "hati", "di", "jalan"]),
    ("satu2nya jalan", ["satu", "satu", "nya", "jalan"]),
    ("salam2jari", ["salam", "2", "jari"]),   # a number after a cue stays a number
    ("paslon2", ["paslon", "2"]),
    ("ganjar2024", ["ganjar", "2024"]),
])
def test_a_glued_2_after_a_word_is_reduplication_not_a_number(text: str, words: list[str]) -> None:
    assert [t.text for t in Normaliser().normalise(text).tokens] == words


def test_chunks_tokenise_as_the_whole_text() -> None:
    # normalise tokenises each whitespace-free chunk alone (and memoises it): that gives the
    # pattern's tokens over the whole text only while str.split and the pattern's \s agree
    from netral.text.normalise import _TOKEN_RE

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]
    n = Normaliser(VOCAB)
    text = "\u00a0\u2028\x1c\u3000\t\n ".join([
        "Ayo", "c0bl0s,", "#PrabowoGibran2024!", "@kpu_ri.", "https://x.id/a?b", "1️⃣✌️",
        "🇮🇩🇮🇩", "x" * 70 + "!", "?!", ""])
    expected = []  # each token of the whole text, normalised alone
    for m in _TOKEN_RE.finditer(text):
        alone = Normaliser(VOCAB).normalise(m.group())
        expected += [(t.text, m.start() + t.start, m.start() + t.end, t.kind)
                     for t in alone.tokens]
    for _ in range(2):  # chunks read, then memoised
        nt = n.normalise(text)
        assert [(t.text, t.start, t.end, t.kind) for t in nt.tokens] == expected
        assert nt.words == [t.text for t in nt.tokens] == nt.text.split()
        assert [(t.text, text[t.start:t.end]) for t in nt.hashtags + nt.mentions + nt.urls] == [
            ("prabowogibran2024", "#PrabowoGibran2024"), ("kpu_ri", "@kpu_ri"),
            ("https://x.id/a?b", "https://x.id/a?b")]
