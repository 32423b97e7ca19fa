"""The combiner: one calibrated probability from what every stage found.

The rules (names, numbers, slogans, calls, attacks), the context (news, official work, civic
information, fact-checks, even-handedness), the shape of the text (a headline, a reply, a
question) and the statistical model each know part of the answer; how much each counts was
learned from real labelled posts and headlines (``data/corpus``, training split only) by
``tools/corpus/train_combiner.py``, which writes ``data/combiner.json``: feature names,
weights (or trees) and where they came from. At run time it is a dot product and a sigmoid,
or, for the tree combiner, a few comparisons in each of its shallow trees, a sum and a
sigmoid — plain Python, no scikit-learn.

Explicit rules floor its probability (``floors.py``).

Without ``data/combiner.json`` the hand-set noisy-OR of ``score.weigh`` stands alone.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

import orjson

from netral.detect import media, offices
from netral.detect.combine_trees import compile_trees
from netral.detect.document import Document
from netral.detect.floors import FLOOR_TAG_AT, FLOOR_TAGS, held, score_and_veto
from netral.detect.match import TokenFinder
from netral.detect.news import news_features
from netral.detect.wordsets import CAMP_PEOPLE, FIRST_PERSON, RESULT_TALK

# evidence categories of the stages (cues, numbers) and mitigation categories (context)
EVIDENCE = ("ajakan_memilih", "dukungan", "serangan", "slogan_tagar", "nomor_urut",
            "atribut_gestur", "anggota_partai", "interaksi", "sebutan_calon")
_FEATURE_OF = {"tim_kampanye": "anggota_partai", "pencalonan": "anggota_partai"}
MITIGATION = ("cek_fakta", "ketidaksetujuan", "pengingat_netralitas", "info_pemilu", "berita",
              "kedinasan", "berimbang", "tanpa_pihak")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# a media suffix of any outlet, "via @outlet", an Antara credit, or a known outlet's bare name
# (data/media.yaml, shared with the headline test in context.py)
_MEDIA = media.OutletSearch(
    plain=((r"[-|–—]\s*[A-Z][\w.]*(?:\.com|\.co\.id|\.id|news|\s?tv)\b", "-|–—"),
           (media.VIA, "@"), (r"\(\s*(?:ant|antara)\s*\)", "(")),
    named=(rf"\b(?:{media.BARE_NAMES})\b",), needle=rf"\b(?:{media.BARE_NAMES})",
    leads=media.BARE_LEADS,
)


# a link to a news article rather than a post: a dated or sectioned path, or a slug of four or
# more words (".../2019/03/02/capres-janji-perbaiki-jalan-..."); shortened links and
# social sites say nothing
_ARTICLE_URL = re.compile(
    r"https?://(?!t\.co/|(?:www\.|m\.)?(?:twitter|x|youtube|instagram|facebook|tiktok)\.com|youtu\.be"
    r"|pic\.twitter|bit\.ly)",
    re.IGNORECASE,
)
_ARTICLE_PATH = re.compile(
    r"/20\d\d/|/read/|/berita/|/news/|\.html?\b|/[a-z0-9]+(?:-[a-z0-9]+){3,}", re.IGNORECASE
)
_RUN = re.compile(r"\S*")


def article_url(text: str) -> bool:
    """Whether a link in ``text`` (not a social site's nor a shortener's) has an article's path.
    Each run of text without white space is read once, from its first such link: one pattern
    "link, anything, path" searched from every "http" of a run of glued links to its end took
    time in the square of the run's length."""
    pos = 0
    while (m := _ARTICLE_URL.search(text, pos)) is not None:
        end = _RUN.match(text, m.end()).end()
        if _ARTICLE_PATH.search(text, m.end(), end):
            return True
        pos = end  # a later link of this run sees less of it than this one did
    return False


# a colon, then nothing but links to the end. Each link runs to white space or the end: a
# link that may end anywhere ("https?://\S+\s*", repeated) let the engine cut a run of glued
# links ("http://http://…") every possible way before giving up, 2^(n/2) tries for n links, on
# every text judged. Glued links still match, as one link.
_LINKS_TO_END = r":\s*(?:https?://\S+(?:\s+|$))*$"

# a meme caption: "Anies setelah liat Cak Imin perform: <link>", "pak X ketika ditanya …:" —
# the picture carries the joke and any side it takes (DECISIONS.md open question 12: the visible
# text is labelled, netral); on the training sources such lines were false alarms of the model
_CAPTION = re.compile(
    r"\b(?:ketika|pas|saat|setelah|stlh|sesudah|abis|habis|waktu|liat|lihat|melihat|when)\b"
    r"[^:\n]{0,80}" + _LINKS_TO_END,
    re.IGNORECASE,
)
# the end every caption has: a colon and then nothing but links. It starts with a literal, so
# the engine jumps from colon to colon where _CAPTION tries its dozen words at every position;
# a text without it holds no caption (a sixth of the shape features' time, issue 10)
_CAPTION_END = re.compile(_LINKS_TO_END, re.IGNORECASE)

# a vote share: a number with a percent sign or "persen" ("16%", "58 persen"), or the word alone
_SHARE = re.compile(r"\d\s?(?:%|persen)|\bpersen\b", re.IGNORECASE)

# a text ending in an ellipsis, maybe followed by a link (searched only where an ellipsis is)
_TEASER = re.compile(r"(…|\.\.\.)\s*(https?://\S+)?\s*$")


def name_tag(doc: Document) -> tuple[int, int] | None:
    """The first hashtag that joins a contestant's name to words of its own, as token indices:
    "#GanjarBisaMajukanNKRI", "#YakinPilihAniesSandi", "#CakIminKacau" — the shape of a
    supporters' tag (guideline point 4) that the packs do not list. A name alone
    ("#AniesBaswedan", "#PrabowoSubianto": news and fan accounts tag names, D4 and D27), a
    name with a number ("#Prabowo2024") and the packs' own hashtags (already a slogan) do not
    count. On the training split such tags were in 868 campaign texts and 16 netral ones, a
    sixth of the campaign ones unflagged out of source (issue 10; errors6)."""
    nt = doc.nt
    if not nt.hashtags or not doc.ent_hits:
        return None
    # tokens and hits by position, found by bisection: a text of thousands of tags costs
    # thousands of short look-ups, not tags × tokens (hostile input)
    find = TokenFinder(nt)
    by_i = sorted(doc.ent_hits, key=lambda h: h.i)
    hit_starts = [h.i for h in by_i]
    for tag in nt.hashtags:
        inside = find.within(tag.start, tag.end)
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        hits = [h for h in by_i[bisect_left(hit_starts, first):bisect_right(hit_starts, last)]
                if h.j <= last]
        if not hits or any(h.entry.group not in _NAME_GROUPS for h in hits):
            continue  # no name in it, or a pack's hashtag or slogan: not this feature's
        named = {k for h in hits for k in range(h.i, h.j + 1)}
        if any(k not in named and doc.tokens[k].isalpha() for k in inside):
            return first, last
    return None


_NAME_GROUPS = frozenset({"name", "weak_name"})


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def shape(original: str) -> dict[str, float]:
    """Surface features of the text as written: headlines are Title Cased, short, and end
    in a link or an ellipsis; replies start with a mention; questions end with '?'."""
    words = _WORD.findall(original)
    caps = sum(1 for w in words if w[0].isupper())
    stripped = original.strip()
    return {
        "title_case": caps / len(words) if len(words) >= 4 else 0.0,
        "reply": 1.0 if stripped.startswith("@") else 0.0,
        "question": 1.0 if "?" in stripped else 0.0,
        "media": 1.0 if _MEDIA.search(original) else 0.0,
        "article_url": 1.0 if "://" in original and article_url(original) else 0.0,
        "teaser": 1.0 if (("…" in stripped or "..." in stripped)
                          and _TEASER.search(stripped)) else 0.0,
        "first_person": 0.0 if FIRST_PERSON.isdisjoint(map(str.lower, words)) else 1.0,
        "hashtags": min(stripped.count("#"), 5) / 5,
        "short": 1.0 if len(words) <= 6 else 0.0,
        "caption": 1.0 if _CAPTION_END.search(stripped) and _CAPTION.search(stripped) else 0.0,
    }


# the feature names, formatted once instead of for every text
_EV_KEYS = tuple((c, f"ev_{c}") for c in EVIDENCE)
_MIT_KEYS = tuple((m, f"mit_{m}") for m in MITIGATION)
_SHAPE_KEYS: dict[str, str] = {}  # filled as shape() names them


def features(doc: Document) -> dict[str, float]:
    """The combiner's inputs, by name, from a document that went through ``score.weigh``."""
    f: dict[str, float] = {
        "model_logit": _logit(doc.model_p),
        "rule_score": doc.rule_score, "election_ctx": 1.0 if doc.election_ctx else 0.0}
    best: dict[str, float] = {}
    strong = 0.0
    targets: set[str] = set()
    for w in doc.weighed:
        # a campaign-team role is membership too (SKB point I beside point E): one feature, so
        # that its reason category did not change what the combiner learned
        c = _FEATURE_OF.get(w.evidence.category, w.evidence.category)
        best[c] = max(best.get(c, 0.0), w.weight)
        if w.evidence.strong:
            strong = 1.0
        if w.target_id:
            targets.add(w.target_id)
    for c, key in _EV_KEYS:
        f[key] = best.get(c, 0.0)
    for m, key in _MIT_KEYS:
        f[key] = 1.0 if m in doc.applied else 0.0
    f["strong"] = strong
    f["floor_tag"] = 1.0 if any(w.evidence.strong and w.evidence.category in FLOOR_TAGS
                                and w.weight >= FLOOR_TAG_AT for w in doc.weighed) else 0.0
    f["targets"] = min(len(targets), 3) / 3
    f["model_x_election"] = f["model_logit"] * f["election_ctx"]
    f["name_tag"] = 0.0 if name_tag(doc) is None else 1.0
    # after voting day the base rate and the meaning of an attack change (point 5, D84, D85)
    f["after_vote"] = 1.0 if doc.after_vote else 0.0
    f["after_vote_attack"] = f["after_vote"] * f["ev_serangan"]
    # ... and there a side is taken only on the result: does the text talk of it at all?
    f["after_vote_result"] = (1.0 if doc.after_vote and not RESULT_TALK.isdisjoint(doc.tokens)
                              else 0.0)
    # ... of a camp's people or a vote share ("kaum 58 %", D31, D70): jabs at a side after the
    # vote that the misses carried and the rules do not read (LOSO, training split)
    f["after_vote_camp"] = float(doc.after_vote and not CAMP_PEOPLE.isdisjoint(doc.tokens))
    f["after_vote_share"] = float(doc.after_vote and _SHARE.search(doc.nt.original) is not None)
    # between elections the same words rarely take a side (D29, D32, D88): the third regime
    f["out_of_season"] = 1.0 if doc.out_of_season else 0.0
    # an office holder named when no one named is a hopeful or contestant (points 8, 11)
    f["office_only"] = 1.0 if offices.office_only(doc.nt.original, doc.day) else 0.0
    # a news report's form, and a campaigner's voice (guideline point 6, D61)
    f.update(news_features(doc))
    for k, v in shape(doc.nt.original).items():
        key = _SHAPE_KEYS.get(k)
        if key is None:
            key = _SHAPE_KEYS[k] = f"shape_{k}"
        f[key] = v
    return f


class Combiner:
    """The learned combiner of ``combiner.json``: a logistic regression over the standardised
    features, or (``"trees"`` in the file) a sum of shallow regression trees (gradient
    boosting), both giving log-odds that the shift of the operating point lowers."""

    def __init__(self, spec: dict) -> None:
        self.names: list[str] = spec["features"]
        self.version: str = spec["version"]
        self.trees: Callable[[list[float]], float] | None = None
        if "trees" in spec:
            self.trees = compile_trees(spec["trees"], spec["baseline"], len(self.names))
            self.shift: float = spec["shift"]
            return
        self.weights: list[float] = spec["weights"]
        self.bias: float = spec["bias"]
        self.means: list[float] = spec["means"]
        self.scales: list[float] = spec["scales"]
        self._terms = list(zip(self.names, self.weights, self.means, self.scales, strict=True))

    def raw(self, f: dict[str, float]) -> float:
        """The log-odds before the shift of the operating point (the trees' sum as
        scikit-learn adds it: baseline first, then each tree in turn) or after it (the
        logistic regression's bias has it already)."""
        if self.trees is None:
            z = self.bias
            for name, w, m, s in self._terms:
                z += w * (f.get(name, 0.0) - m) / s
            return z
        return self.trees([f.get(name, 0.0) for name in self.names])

    def log_odds(self, f: dict[str, float]) -> float:
        z = self.raw(f)
        return z if self.trees is None else z - self.shift

    def probability(self, doc: Document) -> float:
        f = features(doc)
        z = self.log_odds(f)
        p = 1.0 / (1.0 + math.exp(-z))
        tag, prop = f["floor_tag"] > 0, held(f["ev_atribut_gestur"], f["ev_anggota_partai"])
        score, doc.floor_vetoed = score_and_veto(p, doc.rule_score, tag, kind=doc.kind, prop=prop)
        return score


@lru_cache(maxsize=1)
def load_combiner() -> Combiner | None:
    res = resources.files("netral.detect").joinpath("data", "combiner.json")
    if not res.is_file():
        return None
    return Combiner(orjson.loads(res.read_bytes()))
