"""Normalise Indonesian social-media text while keeping a map back to the original.

Every output token remembers the ``[start, end)`` span of the original characters it came
from, so a detector match on the normalised text can always be shown on what the user wrote
(the idea of spaCy's Doc/Span). Steps, in order:

1. tokenise the original text (URLs, mentions, hashtags, keycaps, words, emoji, punctuation);
2. per token: Unicode NFKC + case folding, URL/mention masking (kept as features),
   emoji -> signal words (``emo_2jari`` for ✌️), hashtag splitting (#PrabowoGibran2024),
   de-obfuscation (leetspeak, repeated letters, dotted letters), alay/regional spellings;
3. across tokens: spaced-out letters (``p r a b o w o``), number words next to a number cue
   (``nomor dua`` -> ``nomor 2``), multi-word regional phrases (``ojo lali`` -> ``jangan lupa``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import InitVar, dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate

from netral.text.emoji import EMOJI_SIGNALS

_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<mention>@[\w.]+\w)"
    r"|(?P<hashtag>#\w+)"
    r"|(?P<keycap>[0-9#*]\ufe0f?\u20e3)"
    r"|(?P<flag>[\U0001F1E6-\U0001F1FF]{2})"
    r"|(?P<word>[^\W_](?:[\w$@'’.\-*]*[^\W_$])?)"
    r"|(?P<other>\S)",
)
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "9": "g",
                       "8": "b", "@": "a", "$": "s", "!": "i"})
_LEET_DIGITS = frozenset("4310579 8")
_REPEAT3 = re.compile(r"(.)\1{2,}")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_ALNUM_SPLIT = re.compile(r"[^\W\d_]+|\d+")
# a word of three or more letters with a 2 glued after it (and a suffix): written reduplication
_REDUP = re.compile(r"([^\W\d_]{3,})2(nya|an|kan|lah|pun)?")
# words after which "2" is a number, not reduplication ("no2", "paslon2", "salam2jari"): the
# detector's ballot-number cues (detect/wordsets.yaml num_cues) and ordinal/count words
_TAKES_NUMBER = frozenset(
    "nomor nmr paslon urut capres cawapres pasangan coblos pilih menangkan dukung calon cagub "
    "cabup cawalkot salam caleg partai kotak allin pokoknya jilid periode putaran tahap "
    "gelombang episode part vol hal pasal ayat bab jari kelas lantai pintu gate sesi ronde "
    "babak seri level tipe type".split()
)
_NUMBER_CUES = frozenset(
    {"nomor", "paslon", "urut", "capres", "cawapres", "pasangan", "calon", "coblos", "pilih",
     "salam", "cagub", "cabup", "cawalkot", "caleg", "partai", "menangkan", "dukung", "jari",
     "nomer", "kotak", "periode", "putaran"}
)
_PLUS_ONE = (1).__add__  # a C callable: NormText's token starts are built without a Python loop
_SEP_CHARS = frozenset(".-*_·•/|")
_CACHE_MAX = 200_000  # entries of each per-word cache of a Normaliser (bounded memory)
_CHUNK_MAX = 64  # longest whitespace-free chunk whose tokens are memoised
# a chunk's tokens (Normaliser._chunk): its one token, or all with those kept beside
_Chunk = tuple[str, int, int, str] | tuple[None, tuple[tuple[str, int, int, str], ...],
                                           tuple[str, ...], tuple[tuple[int, str, int, int, str], ...]]


def _load_tsv(name: str) -> dict[str, str]:
    text = resources.files("netral.text").joinpath("data", name).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        out[key.strip()] = value.strip()
    return out


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[tuple[str, ...], list[str]]]:
    alay = _load_tsv("alay.tsv")
    numbers = _load_tsv("numbers.tsv")
    phrases = {
        tuple(k.split()): v.split() for k, v in _load_tsv("phrases.tsv").items()
    }
    return alay, numbers, phrases


@dataclass(slots=True)
class Token:
    text: str  # normalised form
    start: int  # original span
    end: int
    kind: str = "word"  # word | number | hashtag | mention | url | emoji | punct


@dataclass(slots=True)
class NormText:
    original: str
    tokens: list[Token]
    text: str = ""  # " tok1 tok2 … " (leading/trailing space so matches align to tokens)
    hashtags: list[Token] = field(default_factory=list)  # whole hashtags, lowercased, no '#'
    mentions: list[Token] = field(default_factory=list)
    urls: list[Token] = field(default_factory=list)
    # the tokens' texts in order (the detector's stages read them as ``Document.tokens``)
    words: list[str] = field(default_factory=list, init=False)
    # where each token starts in ``text`` (bisected to map a position to a token)
    starts: list[int] = field(default_factory=list)
    # the tokens' texts when the normaliser has them already (else read from the tokens)
    given_words: InitVar[list[str] | None] = None

    def __post_init__(self, given_words: list[str] | None) -> None:
        self.words = words = [tok.text for tok in self.tokens] if given_words is None \
            else given_words
        # " tok1 tok2 … ": each token starts one character after the end of the one before
        self.text = f" {' '.join(words)} " if words else " "
        self.starts = list(accumulate(map(_PLUS_ONE, map(len, words[:-1])), initial=1)) \
            if words else []

    def token_index(self, pos: int) -> int:
        """Index of the token covering position ``pos`` of ``self.text``."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` range of the normalised text to the original text."""
        if not self.tokens:
            return (0, 0)
        first = self.tokens[self.token_index(norm_start)]
        last = self.tokens[self.token_index(max(norm_start, norm_end - 1))]
        return first.start, last.end

    def token_span(self, i: int, j: int) -> tuple[int, int]:
        """Original span of tokens ``i..j`` inclusive."""
        return self.tokens[i].start, self.tokens[j].end


class Normaliser:
    """Normalises text; ``vocabulary`` (known words: names, slogans, lexicon terms) guides
    leetspeak decoding, letter-repeat collapsing and hashtag segmentation."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self.alay, self.numbers, self.phrases = _tables()
        vocab = set()
        for item in vocabulary:
            vocab.update(item.split())
        vocab.update(self.alay.values())
        seg = {w for w in vocab if len(w) >= 3}
        vocab.update(self.alay.keys())
        vocab.update(self.numbers.keys())
        self.vocab = frozenset(w for w in vocab if w)
        # hashtag segmentation only trusts real words (not short alay keys like "ga", "no")
        self.seg_vocab = frozenset(seg | {"ayo", "jari", "salam", "pilih", "coblos"})
        self._seg_max = max((len(w) for w in self.seg_vocab), default=1)
        self._phrase_first = {k[0] for k in self.phrases}
        self._cache: dict[str, list[str]] = {}
        # hashtag body -> its words: the words of a stream repeat, and a post's normalisation
        # is mostly look-ups of these caches
        self._tag_cache: dict[str, tuple[str, ...]] = {}
        # whitespace-free chunk of a text -> its tokens (``_chunk``)
        self._chunks: dict[str, _Chunk] = {}

    # -- single words ----------------------------------------------------------------------
    def _fold(self, s: str) -> str:
        if not s.isascii():
            s = unicodedata.normalize("NFKC", s)
            # strip combining marks used to dodge filters (p̶r̶a̶b̶o̶w̶o̶)
            s = "".join(c for c in s if not unicodedata.combining(c))
        return s.casefold()

    def _word(self, raw: str) -> list[str]:
        """Normalise one word token to one or more output words (memoised)."""
        hit = self._cache.get(raw)
        if hit is not None:
            return hit
        w = self._fold(raw).replace("’", "'")
        out = self._word_uncached(w)
        if len(self._cache) < _CACHE_MAX:
            self._cache[raw] = out
        return out

    def _hashtag_words(self, body: str) -> tuple[str, ...]:
        """``_hashtag(body)``, memoised: segmenting a hashtag is the dearest step of a word,
        and campaign hashtags are the most repeated words of a stream."""
        hit = self._tag_cache.get(body)
        if hit is None:
            hit = tuple(self._hashtag(body))
            if len(self._tag_cache) < _CACHE_MAX:
                self._tag_cache[body] = hit
        return hit

    def _word_uncached(self, w: str) -> list[str]:
        # dotted / dashed letters: a.n.i.e.s, p-r-a-b-o-w-o, c*o*b*l*o*s
        if any(c in _SEP_CHARS for c in w):
            pieces = [p for p in re.split(r"[.\-*_·•/|]+", w) if p]
            if len(pieces) >= 3 and all(len(p) == 1 for p in pieces):
                return self._word_uncached("".join(pieces))
            out: list[str] = []
            for p in pieces:
                out.extend(self._word_uncached(p))
            return out
        has_digit = any(c.isdigit() for c in w)
        has_alpha = any(c.isalpha() for c in w)
        if has_digit and has_alpha:
            leet = w.translate(_LEET)
            decoded = self._dict_form(leet)
            interleaved = re.search(r"[^\W\d_][0-9@$][^\W\d_]", w) is not None
            if (decoded in self.vocab and leet.isalpha()) or (interleaved and leet.isalpha()):
                return [decoded]
            redup = _REDUP.fullmatch(w)
            if redup and redup.group(1) not in _TAKES_NUMBER:
                # "hati2", "anak2", "satu2nya": the 2 doubles the word (hati-hati); split off,
                # it would read as a bare ballot number 2
                base = self._dict_form(redup.group(1))
                return [base, base] + ([redup.group(2)] if redup.group(2) else [])
            # glued letters and digits: no2, ganjar2024, salam2jari
            pieces = _ALNUM_SPLIT.findall(w)
            if pieces == [w]:
                # a "digit" the split does not see as one (➀: str.isdigit but not \d) would
                # recurse on itself forever: the word stays as it is
                return [self._dict_form(w)]
            out = []
            for p in pieces:
                out.extend(self._word_uncached(p) if not p.isdigit() else [p])
            return out
        if has_digit:
            return [w]
        return [self._dict_form(w)]

    def _dict_form(self, w: str) -> str:
        """Collapse letter repeats and map alay spellings, guided by the vocabulary."""
        if w in self.vocab and w not in self.alay:
            return w
        if w in self.alay:
            return self.alay[w]
        collapsed = _REPEAT3.sub(r"\1", w)
        for cand in (collapsed, _REPEAT3.sub(r"\1\1", w), re.sub(r"(.)\1+", r"\1", w)):
            if cand in self.alay:
                return self.alay[cand]
            if cand in self.vocab:
                return cand
        # trailing doubled letter: gemoyy, nyobloss
        if len(collapsed) > 3 and collapsed[-1] == collapsed[-2]:
            cand = collapsed[:-1]
            if cand in self.alay:
                return self.alay[cand]
            if cand in self.vocab:
                return cand
        return collapsed

    def segment(self, s: str) -> list[str]:
        """Split a lowercase run (hashtag body) into known words, preferring long ones."""
        n = len(s)
        if n == 0:
            return []
        # best[i] = (unknown_chars, pieces, words) for s[:i]
        best: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)
        best[0] = (0, 0, [])
        for i in range(n):
            cur = best[i]
            if cur is None:
                continue
            unk, pieces, words = cur
            for j in range(i + 1, min(n, i + self._seg_max) + 1):
                piece = s[i:j]
                if piece in self.seg_vocab or piece.isdigit():
                    cand = (unk, pieces + 1, [*words, piece])
                elif j == i + 1:
                    cand = (unk + 1, pieces + 1, [*words, piece])
                else:
                    continue
                old = best[j]
                if old is None or (cand[0], cand[1]) < (old[0], old[1]):
                    best[j] = cand
        result = best[n]
        assert result is not None
        if result[0] > 0:  # not fully explained by known words: keep it whole
            return [s]
        return result[2]

    def _hashtag(self, body: str) -> list[str]:
        m = re.fullmatch(r"(.*?[^\W\d_])(\d+)", body)
        if m and re.search(r"[^\W\d_][0-9][^\W\d_]", m.group(1)):  # #G4nj4rM4hfud2024
            return [*self._hashtag(m.group(1).translate(_LEET)), m.group(2)]
        words: list[str] = []
        for part in _CAMEL.findall(body) if not body.islower() else [body]:
            if part.isdigit():
                words.append(part)
                continue
            low = self._fold(part)
            for p in _ALNUM_SPLIT.findall(low):
                if p.isdigit():
                    words.append(p)
                elif p in self.vocab or len(p) <= 3:
                    words.append(self._dict_form(p))
                else:
                    words.extend(self._dict_form(x) for x in self.segment(p))
        return words

    # -- whole texts --------------------------------------------------------------------------
    def normalise(self, text: str) -> NormText:
        tokens: list[Token] = []
        hashtags: list[Token] = []
        mentions: list[Token] = []
        urls: list[Token] = []
        words: list[str] = []
        add = tokens.append
        add_word = words.append
        side = (hashtags.append, mentions.append, urls.append)
        known = self._chunks
        find = text.find
        pos = 0
        # no token holds whitespace nor looks past it (tokenising a whitespace-separated chunk
        # alone gives its tokens in the text), and str.split and the pattern's \s agree on
        # every character: each chunk's tokens come from a cache, found at their offset by
        # str.find (the chunk is the next non-space run after the previous one), instead of
        # one pattern match and one word look-up per token
        for chunk in text.split():
            pos = find(chunk, pos)
            word, a, b, c = known.get(chunk) or self._chunk(chunk)
            if word is not None:  # one token (most chunks): its text, start, end and kind
                add(Token(word, pos + a, pos + b, c))
                add_word(word)
            else:  # the tokens, their texts, the tokens kept beside
                for w, s, e, k in a:
                    add(Token(w, pos + s, pos + e, k))
                words += b
                for which, w, s, e, k in c:
                    side[which](Token(w, pos + s, pos + e, k))
            pos += len(chunk)
        # each pass across tokens needs words that most texts lack (three one-letter words, a
        # number word, a phrase's first word): one look at the words skips it
        if list(map(len, words)).count(1) >= 3:
            tokens = self._join_spaced_letters(text, tokens)
            words = [t.text for t in tokens]
        if not self.numbers.keys().isdisjoint(words):
            tokens = self._number_words(tokens)
            words = [t.text for t in tokens]
        if not self._phrase_first.isdisjoint(words):
            phrased = self._phrases(tokens, words)
            if phrased is not tokens:
                tokens, words = phrased, [t.text for t in phrased]
        return NormText(text, tokens, hashtags=hashtags, mentions=mentions, urls=urls,
                        given_words=words)

    def _chunk(self, chunk: str) -> _Chunk:
        """The tokens of one whitespace-free chunk, offsets relative to it: (text, start, end,
        kind) of a chunk of one token and nothing kept beside, else (None, (text, start, end,
        kind) of each token, their texts, (0 hashtags | 1 mentions | 2 urls, text, start, end,
        kind) of each token kept beside). Memoised when short: long chunks are rare, and
        hostile ones would fill the memory."""
        toks: list[tuple[str, int, int, str]] = []
        extra: list[tuple[int, str, int, int, str]] = []
        add = toks.append
        for m in _TOKEN_RE.finditer(chunk):
            kind = m.lastgroup
            s, e = m.span()
            raw = m.group()
            if kind == "word":  # most tokens: their words come from a cache
                # (the kinds are not memoised beside them: only a chunk not seen before, itself
                # memoised, gets here, and a third cache of every word cost memory for nothing)
                for w in self._word(raw):
                    add((w, s, e, "number" if w.isdigit() else "word"))
            elif kind == "hashtag":
                body = raw[1:]
                extra.append((0, self._fold(body), s, e, "hashtag"))
                for w in self._hashtag_words(body):
                    add((w, s, e, "number" if w.isdigit() else "hashtag"))
            elif kind == "mention":
                extra.append((1, self._fold(raw[1:]), s, e, "mention"))
                add(("@" + self._fold(raw[1:]), s, e, "mention"))
            elif kind == "url":
                extra.append((2, raw, s, e, "url"))
                add(("urltoken", s, e, "url"))
            elif kind == "keycap":
                add((raw[0], s, e, "number"))
            else:
                sig = EMOJI_SIGNALS.get(raw)
                if sig:
                    add((sig, s, e, "emoji"))
                elif raw in "!?":
                    add((raw, s, e, "punct"))
                # other punctuation and unknown symbols are dropped (spans stay on neighbours)
        out: _Chunk = toks[0] if len(toks) == 1 and not extra else \
            (None, tuple(toks), tuple(t[0] for t in toks), tuple(extra))
        if len(chunk) <= _CHUNK_MAX and len(self._chunks) < _CACHE_MAX:
            self._chunks[chunk] = out
        return out

    def _join_spaced_letters(self, text: str, tokens: list[Token]) -> list[Token]:
        """``p r a b o w o`` / ``P K S``: runs of >= 3 one-letter tokens separated only by
        spaces or separator characters become one word (``normalise`` calls this only where
        three one-letter tokens are)."""
        out: list[Token] = []
        i = 0
        n = len(tokens)
        while i < n:
            j = i
            while (
                j < n
                and len(tokens[j].text) == 1
                and tokens[j].kind in ("word", "number")
                and (j == i or _only_separators(text[tokens[j - 1].end:tokens[j].start]))
            ):
                j += 1
            if j - i >= 3 and any(t.text.isalpha() for t in tokens[i:j]):
                joined = "".join(t.text for t in tokens[i:j])
                words = self._word_uncached(joined.translate(_LEET)) if not joined.isdigit() \
                    else [joined]
                for w in words:
                    out.append(Token(w, tokens[i].start, tokens[j - 1].end, "word"))
                i = j
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _number_words(self, tokens: list[Token]) -> list[Token]:
        nums = self.numbers
        for i, tok in enumerate(tokens):
            digit = nums.get(tok.text)
            if digit is None:
                continue
            prev = tokens[i - 1].text if i else ""
            nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
            if prev in _NUMBER_CUES or nxt in ("jari", "periode", "putaran"):
                tok.text = digit
                tok.kind = "number"
        return tokens

    def _phrases(self, tokens: list[Token], words: list[str]) -> list[Token]:
        """Multi-word regional phrases (``normalise`` calls this only where a phrase's first
        word is; ``words`` are the tokens' texts). Only where a first word stands is a phrase
        looked for: the tokens between are copied by slices."""
        out: list[Token] = []
        done = 0  # tokens before this one are in ``out`` (or replaced)
        n = len(tokens)
        first = self._phrase_first
        for i in [k for k, w in enumerate(words) if w in first]:
            if i < done:  # inside a phrase just replaced
                continue
            for length in (3, 2):
                repl = self.phrases.get(tuple(words[i:i + length])) if i + length <= n else None
                if repl:
                    out += tokens[done:i]
                    s, e = tokens[i].start, tokens[i + length - 1].end
                    out.extend(Token(w, s, e, "word") for w in repl)
                    done = i + length
                    break
        if not done:
            return tokens
        out += tokens[done:]
        return out


def _only_separators(gap: str) -> bool:
    return 0 < len(gap) <= 3 and all(c.isspace() or c in _SEP_CHARS for c in gap)


@lru_cache(maxsize=1)
def default_normaliser() -> Normaliser:
    return Normaliser()


def normalise(text: str) -> NormText:
    """Normalise with the built-in tables only (the detector uses a pack-aware Normaliser)."""
    return default_normaliser().normalise(text)
