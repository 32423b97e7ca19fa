"""A news report's form (guideline point 6; DECISIONS.md D8, D61): the house style a report is
written in, read by the context stage (``context.reported_speech``: what a report tells is not
the writer's own act), by ``voice`` (a party title in a report is somebody's office) and by the
combiner (``news_features``). Camp accounts write in report form too (D61), so the form alone
decides nothing: the stages keep the writer's first person, an exclamation and a camp tag as the
camp's own, and the combiner weighs the form against the model and the rest."""

from __future__ import annotations

import re
from functools import lru_cache

from netral.detect import media
from netral.detect.document import Document
from netral.detect.wordsets import FIRST_PERSON

# the house style of a news report, which posts rarely copy, opens a story on a title ("Calon
# presiden nomor urut 3, …", "Ketua DPP PDIP …", "Bakal calon presiden (bacapres) …")
_ROLE = (r"(?i:(?:bakal\s+)?(?:calon\s+(?:wakil\s+)?presiden|calon\s+(?:wakil\s+)?gubernur|capres|"
         r"cawapres|bacapres|bacawapres|cagub|cawagub|ketua\s+umum|ketum|ketua\s+(?:dpp|dpd|dpw|dpc|"
         r"tim|tkn|tpn|harian|majelis|dewan|badan)|wakil\s+ketua|sekretaris\s+jenderal|sekjen|"
         r"wasekjen|juru\s+bicara|jubir|mantan\s+(?:gubernur|presiden|menteri|ketua)))")
# The marks of a report shared by the yes/no form (``news_form``) and the count (``news_marks``):
# an abbreviation or a date in brackets ("(cawapres)", "(KIM)", "Sabtu (17/6/2023)"), a dateline
# ("JAKARTA -", "Jakarta, CNBC Indonesia -"), a quote's attribution (", ujar Hasto") and the
# phrases only a reporter writes ("kepada wartawan"). The count reads a few more, weaker ones
# (_MORE_PHRASES, a title before a comma, a teaser): alone they would call a post a report.
_BRACKETS = re.compile(r"\((?:capres|cawapres|bacapres|bacawapres|cagub|cawagub|pilpres|pemilu"
                       r"|pilkada|[A-Z][A-Za-z]{1,7})\)")
_DATE = re.compile(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)|\b(?:Senin|Selasa|Rabu|Kamis|Jumat"
                   r"|Jum'at|Sabtu|Minggu)\s*\(\d")
_DATELINE = re.compile(r"\W{0,3}[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+){0,2}(?:,\s*[A-Za-z.]+"
                       r"(?:\s[A-Za-z.]+)?)?\s+[-–—]{1,3}\s")
_ATTRIBUTION = re.compile(r"[,\"”]\s*(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|imbuh|tambah"
                          r"|sebut|terang|pungkas)(?:nya)?\s+[A-Z]")
_REPORTER_PHRASES = ("hal ini disampaikan", "hal itu disampaikan", "hal tersebut disampaikan",
                     "kepada wartawan", "kepada awak media", "dikutip dari", "dilansir",
                     "saat ditemui", "saat dikonfirmasi")
_DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
_MORE_PHRASES = ("hal tersebut", "dalam keterangan", "kepada media", "di sela", "seperti dikutip",
                 *(f"pada {d}" for d in _DAYS))


def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """The phrases as whole words of the casefolded text."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


_REPORTER_PHRASE = _phrases(_REPORTER_PHRASES)
_ANY_PHRASE = _phrases(_REPORTER_PHRASES + _MORE_PHRASES)
# a word every phrase above holds as a whole word: a phrase is looked for only where one is
_PHRASE_WORDS = frozenset({"disampaikan", "tersebut", "keterangan", "wartawan", "awak", "media",
                           "sela", "ditemui", "dikutip", "dilansir", "dikonfirmasi", *_DAYS})

# Each opening is its own pattern, matched at the start only, and each other mark searched only
# where its first character is: one alternation searched from every position cost ~17 µs a text.
_FORM_AT_START = (
    # a title and then the person's name: "Capres 03 cuma modal …" opens on a title too
    re.compile(r"\W{0,3}(?:RT\s+)?" + _ROLE + r"\b[^.!?\n]{0,40}?\b[A-Z][a-z]+\s+[A-Z][a-z]+"),
    # a quote headline: the speaker, a colon, the words ("Prabowo: Sistem Ekonomi …")
    re.compile(r"\W{0,3}(?:RT\s+@\w+:\s+)?[A-Z][\w.-]+(?:\s[A-Z][\w.-]+){0,3}:\s+[\"“]?[A-Z][a-z]"),
    _DATELINE,
)


@lru_cache(maxsize=64)
def news_form(text: str) -> bool:
    """Whether ``text`` is written in a news report's house style and not in a campaigner's
    voice: no exclamation mark. Asked by the context stage and by the combiner of one text in
    turn: the answer is kept for the next asker."""
    if "!" in text:
        return False
    if any(rx.match(text) for rx in _FORM_AT_START):
        return True
    if "(" in text and (_BRACKETS.search(text) or _DATE.search(text)):
        return True
    if _ATTRIBUTION.search(text):
        return True
    low = text.casefold()
    return any(p in low for p in _REPORTER_PHRASES) and _REPORTER_PHRASE.search(low) is not None


# The marks of a news report's house style (guideline point 6), each counted once: a title
# opening the text or standing before a name and a comma ("Calon presiden nomor urut 3,
# Ganjar …"), an abbreviation or a date in brackets, a dateline, an attribution after a quote
# or comma, a reporter's phrase, a teaser cut off before its link, a reporting verb in its
# stating form, the third person a report refers back with. Camp accounts write in report form
# too (D61): what tells them apart is left to the combiner, with the marks of a campaigner's
# voice beside them (news_clean, exclaim_emoji) and the outlet's own tags (media_tag).
_MARK_ROLE = (r"(?:calon presiden|calon wakil presiden|bakal calon presiden|bakal calon wakil "
              r"presiden|capres|cawapres|bacapres|bacawapres|cagub|cawagub|calon gubernur|ketua umum|"
              r"ketum|ketua|wakil ketua|sekjen|sekretaris jenderal|juru bicara|jubir|menteri|presiden|"
              r"gubernur|bupati|wali kota|walikota|politikus|politisi|pengamat|direktur|koordinator)")
# on the casefolded text: a title, then a comma and any words ("capres nomor urut 2, prabowo")
_MARK_TITLED = re.compile(_MARK_ROLE + r"[^,.\n]{0,60},\s+(?:[a-z]+\s){1,3}")
_ROLE_KEYS = ("calon", "capres", "cawapres", "cagub", "cawagub", "ketua", "ketum", "sekjen",
              "sekretaris jenderal", "juru bicara", "jubir", "menteri", "presiden", "gubernur",
              "bupati", "wali kota", "walikota", "politikus", "politisi", "pengamat", "direktur",
              "koordinator")
# each link runs to white space or the end (combine._LINKS_TO_END: glued links must not be
# cut every possible way)
_MARK_TEASER = re.compile(r"(?:…|\.\.\.)\s*(?:https?://\S+(?:\s+|$))+$")
_MARK_OPENS_TITLED = re.compile(r"\W{0,3}(?:rt\s+)?" + _MARK_ROLE)  # casefolded text
_REPORTING = frozenset({
    "mengatakan", "menyatakan", "menegaskan", "menjelaskan", "mengungkapkan", "menyebut",
    "menyebutkan", "menilai", "meyakini", "mengklaim", "berjanji", "menyampaikan", "mengaku",
    "mengajak", "menyerukan", "menugaskan", "menargetkan", "memaparkan"})
_REFERS_BACK = frozenset({"dirinya", "pihaknya", "ia"})
_WORDS = re.compile(r"\w+")


def news_marks(text: str, low: str, words: frozenset[str] | set[str]) -> int:
    """How many of the ten marks of a report ``text`` shows (``low``: its casefolded form,
    ``words``: the words of ``low``)."""
    n = 0
    if "(" in text:
        n += _BRACKETS.search(text) is not None
        n += _DATE.search(text) is not None
    n += _DATELINE.match(text) is not None
    if "," in text and any(k in low for k in _ROLE_KEYS):
        n += _MARK_TITLED.search(low) is not None
    n += _ATTRIBUTION.search(text) is not None
    if not _PHRASE_WORDS.isdisjoint(words):
        n += _ANY_PHRASE.search(low) is not None
    if "…" in text or "..." in text:
        n += _MARK_TEASER.search(text) is not None
    n += _MARK_OPENS_TITLED.match(low) is not None
    n += not _REPORTING.isdisjoint(words)
    n += not _REFERS_BACK.isdisjoint(words)
    return n


# an outlet's own tag or stripped sign-off ("#Pemilu2024KCM", "#TempoNasional", "newsupdate"):
# each hashtag is read on its own, so that a hashtag of thousands of letters costs one pass
_HASHTAG = re.compile(r"#(\w+)")
_OUTLET_IN_TAG = re.compile(rf"{media.BARE_NAMES}|kcm|berita|news", re.IGNORECASE)
_SIGN_OFF = frozenset({"temponasional", "newsupdate", "beritasatu"})


def _media_tag(text: str, words: frozenset[str] | set[str]) -> bool:
    if "#" in text and any(_OUTLET_IN_TAG.search(m.group(1)) for m in _HASHTAG.finditer(text)):
        return True
    return not _SIGN_OFF.isdisjoint(words)


def outlet_tagged(text: str) -> bool:
    """Whether an outlet's own tag or sign-off marks ``text`` as its report ("#detikPemilu",
    "#BeritaPemiluMetroTV", "… temponasional"): read by the context stage as a report's form,
    which a post sharing the report keeps."""
    return _media_tag(text, set(_WORDS.findall(text.casefold())))


_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_CAMP_TAGS = frozenset({"slogan_tagar", "atribut_gestur"})


def news_features(doc: Document) -> dict[str, float]:
    """The combiner's news-form features of a document that went through ``score.weigh``:
    how many marks of the house style (``news_marks``), the same where nothing of a
    campaigner's voice stands beside them (no first person, camp tag or salute, exclamation,
    emoji, or hashtag other than an outlet's), an outlet's tag, a campaigner's exclamation
    or emoji, and ``news_form``."""
    text = doc.nt.original
    weighed_camp_tag = any(w.evidence.category in _CAMP_TAGS and w.evidence.strong
                           for w in doc.weighed)
    low = text.casefold()
    words = set(_WORDS.findall(low))
    marks = news_marks(text, low, words)
    media_tag = 1.0 if _media_tag(text, words) else 0.0
    voice = "!" in text or _EMOJI.search(text) is not None
    first = not FIRST_PERSON.isdisjoint(doc.tokens)
    clean = 0.0 if (first or weighed_camp_tag or voice) else min(marks, 3) / 3
    return {
        "news_marks": min(marks, 4) / 4,
        "news_clean": 0.0 if ("#" in text and not media_tag) else clean,
        "media_tag": media_tag,
        "exclaim_emoji": 1.0 if voice else 0.0,
        "news_form": 1.0 if news_form(text) else 0.0,
    }
