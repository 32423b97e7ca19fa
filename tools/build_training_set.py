#!/usr/bin/env python3
"""Build netral's training corpus for the small statistical model.

Deterministic: a fixed seed, sorted inputs, no set iteration, so two runs give byte-identical
output. Inputs (all written by the project, Apache-2.0):

* ``tools/training_templates.yaml``   template groups with labels (see the header there)
* ``tools/training_entities.yaml``    candidates, parties, slogans, numbers (from shared/domain)
* ``tools/training_handwritten.jsonl`` hand-written examples

Output: ``src/netral/detect/data/train.jsonl``, one JSON object per line with the keys
``text``, ``label`` (``kampanye`` | ``netral``), ``source`` (``template:<name>`` |
``handwritten``) and ``group``.

The dev set under ``data/eval/`` is never read here: it is independent of training.

Usage::

    python tools/build_training_set.py                 # (re)write the shipped file
    python tools/build_training_set.py --out /tmp/t.jsonl
    python tools/build_training_set.py --check         # exit 1 if the shipped file is stale
    python tools/build_training_set.py --stats         # print counts by label and group
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

SEED = 20240214
ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
TEMPLATES = TOOLS / "training_templates.yaml"
ENTITIES = TOOLS / "training_entities.yaml"
HANDWRITTEN = TOOLS / "training_handwritten.jsonl"
DEFAULT_OUT = ROOT / "src" / "netral" / "detect" / "data" / "train.jsonl"
DOC = ROOT / "src" / "netral" / "detect" / "data" / "TRAINING.md"
COUNTS_START = "<!-- counts:start (written by tools/build_training_set.py) -->"
COUNTS_END = "<!-- counts:end -->"

LABELS = ("kampanye", "netral")

# Style and obfuscation rates. They are the same for both labels on purpose, so that neither
# obfuscation nor slang nor emoji becomes a shortcut for the model.
P_LOWER = 0.28
P_ALAY = 0.22
P_TYPO = 0.08
P_OBFUSCATE = 0.16
P_EMOJI_TAIL = 0.08
P_MENTION = 0.04
P_URL = 0.03
P_FILLER = 0.10

ALAY = {
    "yang": ["yg", "yng"],
    "tidak": ["tdk", "gak", "ga", "nggak"],
    "nggak": ["ga", "gak", "ngga", "g"],
    "sudah": ["udah", "udh", "sdh"],
    "banget": ["bgt", "bngt", "bangettt"],
    "dengan": ["dgn", "dg"],
    "untuk": ["utk", "buat"],
    "jangan": ["jgn", "jgan"],
    "kalau": ["klo", "kalo", "klw"],
    "sama": ["sm", "ama"],
    "aja": ["aj", "ajah"],
    "saja": ["aja", "sj"],
    "tahu": ["tau", "tw"],
    "lagi": ["lg", "lgi"],
    "juga": ["jg", "jga"],
    "gimana": ["gmn", "gmana"],
    "semua": ["smua", "smw"],
    "nanti": ["ntar", "ntr", "nnti"],
    "kamu": ["km", "kmu"],
    "aku": ["aq", "ak", "akoh"],
    "hari": ["hr"],
    "pilih": ["pilihhh", "pileh", "plh"],
    "coblos": ["cobloss", "cblos", "nyoblosss", "cobloz"],
    "nomor": ["nmr", "no", "nomer", "nmor"],
    "karena": ["krn", "karna"],
    "bisa": ["bs", "bsa"],
    "mau": ["mw", "mo"],
    "terima kasih": ["makasih", "trims", "tq"],
    "teman": ["temen", "tmn"],
    "sekarang": ["skrg", "skrng"],
    "orang": ["org"],
    "dulu": ["dl", "dlu"],
    "besok": ["bsk", "besuk"],
    "ayo": ["ayok", "ayoo", "ayooo"],
    "semoga": ["smoga", "moga", "smg"],
}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "g": "9", "t": "7"}
EMOJI_TAIL = ["😂", "🙏", "🔥", "😁", "👍", "🤣", "😅", "💪", "🥹", "😍", "✨", "🫡", "👀", "😎"]
HANDLES = ["@budi_s", "@rina.kw", "@infokota", "@adminwarga", "@kangasep", "@mbak_tiwi", "@ucup99"]
GLUE_RE = re.compile(
    r"(?i)\b(nomor urut|no urut|nomor|nomer|no\.?|nmr|coblos|pilih|paslon|capres|antrean|"
    r"antrian|loket|pemilu|pilkada|juara|partai)\s+(0?\d{1,4})\b"
)
WORD_RE = re.compile(r"[A-Za-z][A-Za-z']{3,}")
ALT_RE = re.compile(r"<([^<>]*)>")
SLOT_RE = re.compile(r"\{(\w+)\}")

JABATAN_LENGKAP = {"cagub": "gubernur", "cabup": "bupati", "cawalkot": "wali kota"}


def _pick(rng: random.Random, value: Any) -> str:
    if isinstance(value, list):
        return str(rng.choice(value))
    return str(value)


class Generator:
    def __init__(self, templates: dict, entities: dict, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.slots: dict[str, Any] = templates["slots"]
        self.groups: list[dict] = templates["groups"]
        self.ent = entities
        self.pools = self._build_pools()
        # words worth obfuscating when present: names, slogans, call words, ambiguous words
        keys: list[str] = []
        for pool in self.pools.values():
            for ctx in pool:
                for k in ("capres", "cawapres", "calon", "partai", "slogan"):
                    for v in ctx.get(k, []) if isinstance(ctx.get(k), list) else []:
                        keys.extend(w.lower() for w in WORD_RE.findall(v))
        keys += [
            "coblos",
            "pilih",
            "nyoblos",
            "menangkan",
            "dukung",
            "gemoy",
            "aamiin",
            "amin",
            "lanjutkan",
            "perubahan",
            "presiden",
            "nomor",
            "relawan",
            "banget",
            "kucing",
            "rapat",
            "jadwal",
            "netral",
            "jangan",
            "semoga",
        ]
        self.obf_keys = sorted(set(keys))

    # ---------------------------------------------------------------- entity contexts
    def _number_ctx(self, n: int, kind: str) -> dict[str, Any]:
        word = self.ent["numbers_id"][n]
        ctx: dict[str, Any] = {"kata_angka": word}
        if kind == "party":
            ctx["num"] = [str(n)]
            ctx["nomor"] = [f"nomor {n}", f"no. {n}", f"nomor urut {n}", f"no {n}", f"nomor {word}"]
        else:
            ctx["num"] = [str(n), f"0{n}"]
            ctx["nomor"] = [
                f"nomor {n}",
                f"no. {n}",
                f"no {n}",
                f"nomer {n}",
                f"no urut {n}",
                f"nomor urut 0{n}",
                f"nmr {n}",
                f"no.0{n}",
                f"nomor {word}",
                f"paslon 0{n}",
                f"paslon {n}",
                f"0{n}",
                f"nomer {word}",
            ]
            if kind == "pair":
                ctx["nomor"] += [f"capres 0{n}", f"pasangan nomor {n}"]
        if n in self.ent["emoji_number"]:
            ctx["emoji_n"] = self.ent["emoji_number"][n]
        for lang, table in self.ent["regional_numbers"].items():
            if n in table:
                ctx[lang] = table[n]
        return ctx

    def _build_pools(self) -> dict[str, list[dict[str, Any]]]:
        pools: dict[str, list[dict[str, Any]]] = {}
        for election in ("pilpres2024", "pilpres2019"):
            pool = []
            for e in self.ent[election]:
                ctx = {k: v for k, v in e.items() if k != "number"}
                ctx.update(self._number_ctx(e["number"], "pair"))
                ctx["_id"] = f"{election}:{e['number']}"
                ctx["_region"] = election
                pool.append(ctx)
            pools[election] = pool
        national, aceh = [], []
        for p in self.ent["parties"]:
            ctx = {
                "partai": p["name"],
                "tagar": p["tagar"],
                "simbol": p["symbol"],
                "emoji_p": p["emoji"],
                "tokoh": p["tokoh"],
            }
            ctx.update(self._number_ctx(p["number"], "party"))
            ctx["_id"] = f"party:{p['number']}"
            ctx["_region"] = "party"
            (aceh if p.get("aceh") else national).append(ctx)
        pools["party"] = national
        pools["party_aceh"] = aceh
        pilkada = []
        for p in self.ent["pilkada"]:
            ctx = {
                "paslon": p["nama"],
                "nama": p["nama"],
                "calon": p["calon"],
                "tagar": p["tagar"],
                "jabatan": p["jabatan"],
                "pilkada": p["pilkada"],
                "region": p["region"],
                "jabatan_lengkap": JABATAN_LENGKAP[p["jabatan"]],
            }
            ctx.update(self._number_ctx(p["number"], "pilkada"))
            ctx["_id"] = f"pilkada:{p['pilkada']}:{p['number']}"
            ctx["_region"] = p["pilkada"]
            pilkada.append(ctx)
        pools["pilkada"] = pilkada
        return pools

    def _context(self, entity: str) -> dict[str, Any]:
        if entity == "none":
            return {}
        if entity == "all2024":
            ctx: dict[str, Any] = {}
            for e in self.pools["pilpres2024"]:
                n = e["_id"].split(":")[1]
                for k, v in e.items():
                    if not k.startswith("_"):
                        ctx[f"c{n}_{k}"] = v
            return ctx
        pool = self.pools[entity]
        ctx = dict(self.rng.choice(pool))
        rivals = [e for e in pool if e["_region"] == ctx["_region"] and e["_id"] != ctx["_id"]]
        if rivals:
            rival = self.rng.choice(rivals)
            for k, v in rival.items():
                if not k.startswith("_"):
                    ctx[f"lawan_{k}"] = v
        else:
            ctx.update(
                {
                    "lawan_calon": ["calon sebelah", "petahana", "lawannya"],
                    "lawan_paslon": ["paslon sebelah", "pasangan lawan"],
                    "lawan_nama": ["paslon sebelah"],
                    "lawan_num": ["sebelah"],
                }
            )
        return ctx

    # ---------------------------------------------------------------- template filling
    def _special(self, key: str) -> str | None:
        if key == "pct":
            return f"{self.rng.randint(12, 61)},{self.rng.randint(0, 9)}"
        if key == "angka":
            return str(self.rng.randint(2, 480))
        if key == "caleg_no":
            return str(self.rng.randint(1, 10))
        if key == "n":  # small numbers collide with ballot numbers on purpose
            return str(self.rng.randint(1, 4))
        if key == "n2":
            return str(self.rng.randint(1, 12))
        return None

    def fill(self, template: str, ctx: dict[str, Any]) -> str:
        text = template
        for _ in range(8):
            before = text
            text = ALT_RE.sub(lambda m: self.rng.choice(m.group(1).split("|")), text)

            def slot(m: re.Match[str]) -> str:
                key = m.group(1)
                if key in ctx:
                    return _pick(self.rng, ctx[key])
                if key in self.slots:
                    return _pick(self.rng, self.slots[key])
                special = self._special(key)
                if special is None:
                    raise KeyError(f"unknown slot {{{key}}} in template: {template!r}")
                return special

            text = SLOT_RE.sub(slot, text)
            if text == before:
                break
        return tidy(text)

    # ---------------------------------------------------------------- style / obfuscation
    def obfuscate_word(self, word: str) -> str:
        how = self.rng.choice(["leet", "leet", "space", "dot", "stretch", "stretch", "case"])
        if how == "leet":
            out = "".join(
                LEET[c.lower()] if c.lower() in LEET and self.rng.random() < 0.7 else c for c in word
            )
            return out if out != word else word[:-1] + LEET.get(word[-1].lower(), word[-1])
        if how == "space":
            return " ".join(word)
        if how == "dot":
            return ".".join(word)
        if how == "stretch":
            i = max(i for i, c in enumerate(word) if c.isalpha())
            return word[: i + 1] + word[i] * self.rng.randint(2, 4) + word[i + 1 :]
        return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(word))

    def obfuscate(self, text: str) -> str:
        if self.rng.random() < 0.3 and GLUE_RE.search(text):
            return GLUE_RE.sub(lambda m: "#" + re.sub(r"[ .]", "", m.group(1)) + m.group(2), text, count=1)
        words = [m for m in WORD_RE.finditer(text) if not text[: m.start()].endswith(("#", "@"))]
        if not words:
            return text
        preferred = [m for m in words if m.group(0).lower() in self.obf_keys]
        pool = preferred or words
        chosen = self.rng.sample(pool, k=min(len(pool), self.rng.choice([1, 1, 2])))
        chosen.sort(key=lambda m: m.start(), reverse=True)
        for m in chosen:
            text = text[: m.start()] + self.obfuscate_word(m.group(0)) + text[m.end() :]
        return text

    def alay(self, text: str) -> str:
        def sub(m: re.Match[str]) -> str:
            w = m.group(0)
            repl = ALAY.get(w.lower())
            if repl and self.rng.random() < 0.6:
                return self.rng.choice(repl)
            return w

        return re.sub(r"\b(?:terima kasih|[A-Za-z]+)\b", sub, text)

    def typo(self, text: str) -> str:
        words = [m for m in re.finditer(r"\b[a-z]{5,}\b", text)]
        if not words:
            return text
        m = self.rng.choice(words)
        w = m.group(0)
        i = self.rng.randrange(1, len(w) - 1)
        # dropped letter or swapped neighbours
        drop = self.rng.random() < 0.5
        w2 = w[:i] + w[i + 1 :] if drop else w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        return text[: m.start()] + w2 + text[m.end() :]

    def style(self, text: str) -> tuple[str, bool]:
        r = self.rng
        obf = False
        if r.random() < P_ALAY:
            text = self.alay(text)
        if r.random() < P_TYPO:
            text = self.typo(text)
        if r.random() < P_OBFUSCATE:
            new = self.obfuscate(text)
            obf = new != text
            text = new
        if r.random() < P_FILLER:
            if r.random() < 0.5:
                text = f"{r.choice(self.slots['pengisi_awal'])} {text}"
            else:
                end = "" if text.endswith((".", "!", "?")) else "."
                text = f"{text}{end} {r.choice(self.slots['pengisi_akhir'])}"
        if r.random() < P_LOWER:
            text = text.lower()
        if r.random() < P_EMOJI_TAIL:
            text = f"{text} {r.choice(EMOJI_TAIL)}"
        if r.random() < P_MENTION:
            text = f"{r.choice(HANDLES)} {text}"
        if r.random() < P_URL:
            text = f"{text} https://t.co/{r.randrange(16**8):08x}"
        return tidy(text), obf

    # ---------------------------------------------------------------- main loop
    def generate(self) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        seen: set[str] = set()
        for g in self.groups:
            if g["label"] not in LABELS:
                raise ValueError(f"group {g['name']}: bad label {g['label']!r}")
            made, attempts = 0, 0
            while made < g["n"] and attempts < g["n"] * 25:
                attempts += 1
                ctx = self._context(g["entity"])
                raw = self.fill(self.rng.choice(g["templates"]), ctx)
                text, _ = self.style(raw)
                k = key(text)
                if k in seen:
                    continue
                seen.add(k)
                rows.append(
                    {
                        "text": text,
                        "label": g["label"],
                        "source": f"template:{g['name']}",
                        "group": g["group"],
                    }
                )
                made += 1
        return rows


def tidy(text: str) -> str:
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" ([,.!?;:])", r"\1", text)
    text = re.sub(r"([,.])\1+", r"\1", text)
    text = re.sub(r",\s*([.!?])", r"\1", text)
    return text.strip()


def key(text: str) -> str:
    """Duplicate key: case- and whitespace-insensitive (the tests use the same rule)."""
    return " ".join(text.casefold().split())


def load_handwritten(path: Path) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{lineno}: invalid JSON: {exc}") from exc
            if obj.get("label") not in LABELS or not str(obj.get("text", "")).strip():
                raise SystemExit(f"{path}:{lineno}: needs non-empty text and label in {LABELS}")
            rows.append(
                {
                    "text": obj["text"].strip(),
                    "label": obj["label"],
                    "source": "handwritten",
                    "group": obj.get("group", "lainnya"),
                }
            )
    return rows


def build(seed: int = SEED) -> list[dict[str, str]]:
    templates = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    entities = yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))
    gen = Generator(templates, entities, seed)
    merged: list[dict[str, str]] = []
    labels_by_key: dict[str, str] = {}
    dropped = 0
    # hand-written rows first: they win when a generated text collides with one
    for row in load_handwritten(HANDWRITTEN) + gen.generate():
        k = key(row["text"])
        if k in labels_by_key:
            dropped += 1
            continue
        labels_by_key[k] = row["label"]
        merged.append(row)
    random.Random(seed + 1).shuffle(merged)
    if dropped:
        print(f"note: {dropped} duplicate texts dropped", file=sys.stderr)
    return merged


def dumps(rows: list[dict[str, str]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def stats(rows: list[dict[str, str]]) -> str:
    out = [f"total {len(rows)}"]
    by_label = Counter(r["label"] for r in rows)
    for label in LABELS:
        out.append(f"  {label}: {by_label[label]} ({by_label[label] / len(rows):.1%})")
    by_src = Counter("handwritten" if r["source"] == "handwritten" else "template" for r in rows)
    out.append(f"  handwritten: {by_src['handwritten']}, template: {by_src['template']}")
    groups = Counter((r["label"], r["group"]) for r in rows)
    for (label, group), n in sorted(groups.items()):
        out.append(f"  {label:9s} {group:26s} {n}")
    return "\n".join(out)


OBFUSCATED_RE = re.compile(
    r"[a-z][0134579][a-z]|\b(?:\w ){3,}\w\b|\b(?:\w\.){3,}\w\b|([a-z])\1{2,}"
    r"|#(?:no|nomor|nomer|nmr|coblos|pilih|paslon|capres|antrian|antrean|loket)\d",
    re.IGNORECASE,
)


def looks_obfuscated(text: str) -> bool:
    """Leetspeak, spaced or dotted letters, stretched letters, or a number glued to a tag."""
    return OBFUSCATED_RE.search(text) is not None


def counts_markdown(rows: list[dict[str, str]]) -> str:
    """The counts table of TRAINING.md (kept in sync by this script, checked by the tests)."""
    by_label = Counter(r["label"] for r in rows)
    hand = Counter(r["label"] for r in rows if r["source"] == "handwritten")
    lines = [
        "| | total | hand-written | templated | share |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in LABELS:
        n = by_label[label]
        lines.append(f"| {label} | {n} | {hand[label]} | {n - hand[label]} | {n / len(rows):.1%} |")
    lines.append(f"| **all** | {len(rows)} | {sum(hand.values())} | {len(rows) - sum(hand.values())} | |")
    obf = Counter(r["label"] for r in rows if looks_obfuscated(r["text"]))
    shares = ", ".join(f"{lab} {obf[lab]} ({obf[lab] / by_label[lab]:.1%})" for lab in LABELS)
    lines += [
        "",
        "Rows that look obfuscated (leetspeak, spaced, dotted or stretched letters, a number "
        f"glued to a tag): {shares}.",
    ]
    lines += ["", "| label | group | rows | of which hand-written |", "|---|---|---:|---:|"]
    groups = Counter((r["label"], r["group"]) for r in rows)
    hand_groups = Counter((r["label"], r["group"]) for r in rows if r["source"] == "handwritten")
    for (label, group), n in sorted(groups.items()):
        lines.append(f"| {label} | {group} | {n} | {hand_groups[(label, group)]} |")
    return "\n".join(lines)


def doc_with_counts(doc: str, rows: list[dict[str, str]]) -> str:
    start, end = doc.index(COUNTS_START), doc.index(COUNTS_END)
    block = f"{COUNTS_START}\n{counts_markdown(rows)}\n"
    return doc[:start] + block + doc[end:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL path")
    ap.add_argument("--check", action="store_true", help="fail if the output file is stale")
    ap.add_argument("--stats", action="store_true", help="print counts by label and group")
    args = ap.parse_args(argv)
    rows = build()
    data = dumps(rows)
    doc = DOC.read_text(encoding="utf-8")
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != data or doc != doc_with_counts(doc, rows):
            print(f"{args.out} or {DOC.name} is stale; run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(rows)} rows)")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(data, encoding="utf-8")
    if args.out.resolve() == DEFAULT_OUT.resolve():
        DOC.write_text(doc_with_counts(doc, rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {args.out}")
    if args.stats:
        print(stats(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
