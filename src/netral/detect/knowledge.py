"""What the stages know: the active packs, their lexicon, labels and the statistical model.

Built once per pack set (it compiles the lexicon automaton) and shared, read-only apart from
the lazily built model and the label cache, by every check of a ``Detector``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from netral.detect import built
from netral.detect.lexicon import Lexicon, pack_vocabulary
from netral.packs import Entity, Pack
from netral.text import Normaliser

if TYPE_CHECKING:
    from netral.detect.model import LinearTextModel, NullModel
    from netral.detect.model_small import TextModel


# words of a region's name that say its kind, not which one it is
_GENERIC_REGION_WORDS = frozenset({"kota", "kabupaten", "kab", "provinsi", "prov", "daerah",
                                   "istimewa", "khusus", "ibukota", "administrasi"})
_LEVEL_CUES = {
    "walikota": frozenset({"kota", "walikota", "wali", "pilwalkot", "cawalkot", "wawalkot"}),
    "bupati": frozenset({"kabupaten", "kab", "bupati", "pilbup", "cabup", "wabup"}),
    "gubernur": frozenset({"provinsi", "gubernur", "pilgub", "cagub", "wagub"}),
}


def _valid_plain(data: dict) -> bool:
    regions = data["regions"]
    return (built.is_str_list(data["vocabulary"]) and Lexicon.valid_plain(data["lexicon"])
            and isinstance(regions, list)
            and all(isinstance(r, list) and len(r) == 4 and built.is_str_list(r[0])
                    and all(isinstance(x, str) for x in r[1:]) for r in regions))


def _valid_model(fields: dict) -> bool:
    meta = fields["meta"]
    return (built.is_str_map(fields["mask"]) and isinstance(meta, dict)
            and all(k in meta for k in ("mask", "char", "n_train")))


class Knowledge:
    def __init__(self, packs: Sequence[Pack], code_version: str) -> None:
        self.packs = list(packs)
        self.pack_by_name = {p.name: p for p in self.packs}
        # sorted once: every Result lists them (explain.result, a copy each)
        self.pack_names = tuple(sorted(self.pack_by_name))
        # built once, read only afterwards (safe across threads): entities by ballot number
        # (resolving a number walked every entity of every pack) and the pairs of each (pack,
        # contest) (the balance test walked a pack's entities for every text naming a pair)
        numbered: dict[int, list[tuple[Pack, Entity]]] = {}
        self._pairs_in: dict[tuple[str, str | None], int] = {}
        for p in self.packs:
            for e in p.entities:
                if e.number is not None:
                    numbered.setdefault(e.number, []).append((p, e))
                if e.kind == "pair":
                    key = (p.name, e.contest)
                    self._pairs_in[key] = self._pairs_in.get(key, 0) + 1
        self._numbered = {n: tuple(pes) for n, pes in numbered.items()}
        self.pack_versions = {p.name: p.version for p in self.packs}
        # each pack's last voting day (a run-off's), for after_vote; packs without one none
        self._vote_day = {p.name: max(q.end for q in p.campaign_periods if q.kind == "pemungutan")
                          for p in self.packs
                          if any(q.kind == "pemungutan" for q in p.campaign_periods)}
        # e.g. ``pemilu-2019@2019.2,pemilu-2024@2024.3``
        self.pack_version = ",".join(f"{n}@{v}" for n, v in sorted(self.pack_versions.items()))
        # results and the cached model are only comparable under the same code AND packs
        self.version = f"{code_version}+{self.pack_version}"
        # what is computed from the packs (normalised lexicon, pre-filter words, regions) is
        # read from the user cache when this pack set was built before (netral.detect.built)
        key = built.key_for("knowledge", self.packs)
        data = built.read("knowledge", key, _valid_plain)
        if data is not None:
            self.normaliser = Normaliser(data["vocabulary"])
            self.lexicon = Lexicon(self.packs, self.normaliser, built=data["lexicon"])
            self._regions = [(frozenset(w), p, c, lvl) for w, p, c, lvl in data["regions"]]
        else:
            vocabulary = sorted(pack_vocabulary(self.packs))
            self.normaliser = Normaliser(vocabulary)
            self.lexicon = Lexicon(self.packs, self.normaliser)
            self._regions = self._region_index()
            built.write("knowledge", key, {
                "vocabulary": vocabulary, "lexicon": self.lexicon.plain(),
                "regions": [[sorted(w), p, c, lvl] for w, p, c, lvl in self._regions]})
        # each region's name by one of its words (the least): only the regions whose word a
        # text holds are compared with its words, not all ~170 (regions_named)
        # (a region without words, which _region_index never makes, under "": in every text)
        self._regions_by_word: dict[str, list[int]] = {}
        for k, (words, *_) in enumerate(self._regions):
            self._regions_by_word.setdefault(min(words, default=""), []).append(k)
        self._model: LinearTextModel | NullModel | None = None
        self._model_lock = threading.Lock()
        # a plain dict, not lru_cache: labels are few, and the cache dies with the detector
        self._labels: dict[tuple, tuple[str | None, str | None]] = {}
        # the contestant a ballot number is read as, by what the choice depends on
        # (numbers.choose_numbered; bounded there)
        self.number_choices: dict[tuple, tuple[Pack, Entity]] = {}

    @property
    def model(self) -> TextModel | LinearTextModel | NullModel:
        # loaded on first use only: text the pre-filter clears never needs it, and a command
        # that checks nothing should not pay for numpy and the weights
        if self._model is None:
            with self._model_lock:
                if self._model is None:
                    self._model = self._load_model()
        return self._model

    def _load_model(self) -> TextModel | LinearTextModel | NullModel:
        """The shipped model: scored in Python for a few texts and with numpy for batches
        (``model_small.TextModel``). What loading computes (the name mask of every shipped
        pack read with this normaliser, the weights as plain arrays, the float32 log table)
        is kept in the user cache, so a cold check imports no numpy."""
        import hashlib

        from netral.detect import model_cache, model_small
        from netral.packs import load_packs

        weights = model_small.weights_stamp()
        key = built.key_for("model", [*load_packs(), *self.packs])
        if key is not None and weights is not None:
            key = hashlib.sha256(f"{key} ".encode() + weights + built.numpy_stamp()).hexdigest()
        # the model's own binary layout (model_cache.pack): its arrays are read in place
        raw = None if weights is None else built.read_raw("model", key, "bin")
        read = model_cache.unpack(raw, key) if raw is not None and key is not None else None
        try:  # arrays that do not fit each other or fields of the wrong shape: rebuilt below
            small_model = model_small.SmallModel(read[1]) if read and _valid_model(read[0]) else None
        except (ValueError, TypeError, KeyError):
            small_model = None
        if read is not None and small_model is not None:
            mask, meta = read[0]["mask"], read[0]["meta"]
            normaliser, version = self.normaliser, self.version

            def load_numpy() -> LinearTextModel | NullModel:
                from netral.detect.model import load_model

                return load_model(normaliser, version, mask=mask)

            return model_small.TextModel(small_model, meta, mask, load_numpy)
        from netral.detect.model import LinearTextModel, load_model, read_weights
        from netral.detect.model_features import mask_table

        mask = mask_table(self.normaliser)
        model = load_model(self.normaliser, self.version, mask=mask)
        if not isinstance(model, LinearTextModel):
            return model
        arrays = read_weights()
        small = model_cache.plain_weights(arrays) if arrays is not None else None
        if small is None:
            return model
        if key is not None:
            built.write_raw("model", key, "bin",
                            model_cache.pack(key, {"mask": mask, "meta": model.meta}, small))
        return model_small.TextModel(model_small.SmallModel(small), model.meta, mask,
                                     lambda: model, model)

    def entity(self, pack: str, entity_id: str) -> Entity:
        return self.pack_by_name[pack].entity(entity_id)

    def pairs_in(self, pack: str, contest: str | None) -> int:
        """How many pairs of ``pack`` stand in ``contest``."""
        return self._pairs_in.get((pack, contest), 0)

    def numbered(self, num: int) -> tuple[tuple[Pack, Entity], ...]:
        """Every pack's entities with ballot number ``num``, packs and entities in their
        order (numbers.resolve_number breaks ties by it)."""
        return self._numbered.get(num, ())

    def live_packs(self, day: date | None) -> set[str]:
        """The packs whose election is in force at ``day`` (none when the date is unknown)."""
        if day is None:
            return set()
        return {p.name for p in self.packs if p.in_force.contains(day)}

    def after_vote(self, live: set[str], day: date | None) -> bool:
        """Whether ``day`` falls after voting day of the elections in force (the count, the
        dispute at the court, the new term up to the pack's end), and before no other race's
        vote (Pemilu 2024 is still in force during the Pilkada 2024 campaign). There a text takes a side
        only on the result (guideline point 5): an insult of the winner alone, a fraud claim
        naming no one, are no campaign (DECISIONS.md 84, 85), and a third of the training
        texts of that time are campaign against half elsewhere."""
        votes = [self._vote_day[name] for name in live if name in self._vote_day]
        # every race in force has voted; one still to vote means its campaign is on
        return day is not None and bool(votes) and all(day > v for v in votes)

    @staticmethod
    def out_of_season(live: set[str], day: date | None) -> bool:
        """Whether ``day`` is known and no election is in force then (between races: early
        2022 before Pemilu 2024's stages began, 2025 after the Pilkada). A text then takes a side only by
        reference to an election, past or coming: attacks on office holders and ex-contestants
        about their record, dynasty or diploma, praise of the president's work, slurs from the
        2019 camps are netral (DECISIONS.md 29, 32, 33, 88), and a tenth of the training texts
        of such dates are campaign, against close to half of the others. Undated texts are
        not assumed to be anywhere."""
        return day is not None and not live

    def pack_weights(self, live: set[str], day: date | None = None) -> dict[str, float]:
        """How much a contestant of each pack counts at the act's date: 1.0 for the packs in
        force, 0.75 for the others while some election is in force, 0.5 when the date falls in
        no pack's election (a 2015 or 2022 post naming a 2017 candidate is not about that
        race); all equal without a date. A post written during an old election still counts
        fully: that is the digital footprint the self-audit looks for."""
        if day is None:
            return {}
        if not live:
            return {p.name: 0.5 for p in self.packs}
        return {p.name: (1.0 if p.name in live else 0.75) for p in self.packs}

    def regions_named(self, tokens: set[str]) -> set[tuple[str, str]]:
        """(pack, contest) of every Pilkada contest whose region the text names, e.g.
        "Pilkada Kota Medan" -> pilwalkot-medan; where the text also names the level (kota,
        kabupaten, gubernur…), contests of another level with the same region name drop out
        (Kota Bekasi vs Kabupaten Bekasi)."""
        by_word = self._regions_by_word
        held = by_word.keys() & tokens
        if "" in by_word:
            held.add("")
        if not held:  # most texts name no region
            return set()
        regions = self._regions
        matched = [regions[k] for k in sorted(k for w in held for k in by_word[w])
                   if regions[k][0] <= tokens]
        # the most specific name wins: "Kepulauan Riau" also contains "Riau", "Papua Barat
        # Daya" contains "Papua Barat" and "Papua"
        found = [(p, c, level) for words, p, c, level in matched
                 if not any(words < other for other, *_ in matched)]
        levels = {lvl for lvl, cues in _LEVEL_CUES.items() if tokens & cues}
        if levels:
            fitting = [f for f in found if f[2] in levels]
            found = fitting or found
        return {(p, c) for p, c, _ in found}

    def _region_index(self) -> list[tuple[frozenset[str], str, str, str]]:
        out = []
        for pack in self.packs:
            if pack.election != "pilkada":
                continue
            for c in pack.contests:
                names = [c.region] if c.region else []
                # the contest id's tail is the short name people write: pilgub-jabar -> jabar
                names.append(c.id.split("-", 1)[-1].replace("-", " "))
                for name in names:
                    words = frozenset(t.text for t in self.normaliser.normalise(name or "").tokens
                                      if t.kind == "word" and t.text not in _GENERIC_REGION_WORDS)
                    if words:
                        out.append((words, pack.name, c.id, c.level))
        return out

    def target_label(self, pack_name: str | None, entity_id: str | None,
                     lang: str = "id") -> tuple[str | None, str | None]:
        """(label, target id) shown for a contestant, e.g. ("02 Prabowo–Gibran",
        "pemilu-2024/pair-2"); an unnamed Pilkada pair gets a generic label."""
        key = (pack_name, entity_id, lang)
        hit = self._labels.get(key)
        if hit is None:
            hit = self._labels[key] = self._make_label(pack_name, entity_id, lang)
        return hit

    def _make_label(self, pack_name: str | None, entity_id: str | None,
                    lang: str) -> tuple[str | None, str | None]:
        if pack_name is None:
            return None, None
        if not entity_id:
            return ("Paslon Pilkada (daerah tidak disebut)" if lang == "id"
                    else "Regional-election pair (region not named)"), f"{pack_name}/pilkada-unknown"
        entity = self.entity(pack_name, entity_id)
        label = entity.label
        pack = self.pack_by_name[pack_name]
        if entity.number is not None and entity.kind == "pair":
            # national ballots print "02", regional ones "2": the label reads like the ballot
            label = f"{entity.number:02d} {label}" if pack.election == "pemilu" else \
                f"{entity.number} {label}"
        return label, f"{pack_name}/{entity_id}"
