"""The quiz bank and the lessons: loading, validation and the explanation shown after an answer.

The explanation uses the checker's own words: the rule title and citation come from
:mod:`netral.rules` (``rules.yaml``) and the advice from the same table the detector reads, so
a quiz answer and a checked draft explain a breach identically. SKB points the detector does
not cite (A, C, D, I, J) are cited from ``data/points.yaml`` as the domain reference cites them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from netral import rules as rulebook
from netral.data import yamlio
from netral.kinds import ACCOUNTS, EMPLOYEES, KINDS

ACTS: tuple[str, ...] = (*KINDS, "picture")
ANSWERS = ("boleh", "tidak")
FLAG_POINTS = frozenset({1, 2, 3, 4, 5})  # LABELLING.md: kampanye
CLEAR_POINTS = frozenset({6, 7, 8, 9, 10, 11})  # LABELLING.md: netral
SKB_LETTERS = tuple("ABCDEFGHIJ")
SOURCE_TYPES = ("guideline", "domain", "madeup", "real", "agency")
REAL_FIELDS = ("repo", "path", "commit", "row", "licence", "changed")
LANGS = ("id", "en")

# Pemilu 2024 and Pilkada 2024 periods (domain reference §2.1)
PERIODS: tuple[tuple[str, date, date], ...] = (
    ("campaign", date(2023, 11, 28), date(2024, 2, 10)),
    ("quiet", date(2024, 2, 11), date(2024, 2, 13)),
    ("campaign", date(2024, 9, 25), date(2024, 11, 23)),
    ("quiet", date(2024, 11, 24), date(2024, 11, 26)),
)


class BankError(ValueError):
    """A bank or lesson file that does not validate; the message names the file and the item."""


def period_of(day: date) -> str:
    for name, start, end in PERIODS:
        if start <= day <= end:
            return name
    return "outside"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    act: str
    lesson: str
    difficulty: int
    text: str
    account: str
    employee: str
    date: date
    answer: str
    point: int
    explain: dict[str, str]
    source: dict[str, str]
    skb: str | None = None
    category: str | None = None
    rule: str | None = None
    picture: dict[str, str] = field(default_factory=dict)

    @property
    def check_kind(self) -> str:
        """The act as the checker knows it: a picture is judged as a post of its caption and
        what it shows."""
        return "post" if self.act == "picture" else self.act

    @property
    def check_text(self) -> str:
        if self.act == "picture" and self.picture:
            return f"{self.text}\n{self.picture['id']}"
        return self.text

    @property
    def period(self) -> str:
        return period_of(self.date)

    @property
    def rule_id(self) -> str | None:
        if self.answer == "boleh":
            return None
        return self.rule or _points()["skb"][self.skb]["rule"]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "act": self.act, "lesson": self.lesson,
            "difficulty": self.difficulty, "text": self.text,
            "context": {"account": self.account, "employee": self.employee,
                        "date": self.date.isoformat()},
            "answer": self.answer, "point": self.point, "explain": self.explain,
            "source": self.source,
        }
        for key in ("skb", "category", "rule"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.picture:
            d["picture"] = self.picture
        return d


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    order: int
    title: dict[str, str]
    body: dict[str, list[str]]
    examples: dict[str, list[str]]
    refs: tuple[str, ...]


@cache
def _points() -> dict[str, Any]:
    raw = resources.files("netral.course").joinpath("data/points.yaml").read_text("utf-8")
    return yamlio.safe_load(raw)


def _bilingual(value: Any, where: str, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(not str(value.get(k) or "").strip() for k in LANGS):
        raise BankError(f"{where}: {what} needs non-empty 'id' and 'en'")
    return {k: str(value[k]) for k in LANGS}


def parse_item(raw: Any, where: str, lessons: Iterable[str] | None = None) -> Item:
    """One item from its mapping; every problem is a :class:`BankError` naming ``where``."""
    if not isinstance(raw, dict):
        raise BankError(f"{where}: an item must be a mapping")
    iid = str(raw.get("id") or "")
    where = f"{where} ({iid or 'no id'})"
    need = ("id", "act", "lesson", "difficulty", "text", "context", "answer", "point",
            "explain", "source")
    missing = [k for k in need if raw.get(k) in (None, "")]
    if missing:
        raise BankError(f"{where}: missing {', '.join(missing)}")
    act = raw["act"]
    if act not in ACTS:
        raise BankError(f"{where}: act {act!r} is not one of {', '.join(ACTS)}")
    if lessons is not None and raw["lesson"] not in set(lessons):
        raise BankError(f"{where}: unknown lesson {raw['lesson']!r}")
    ctx = raw["context"]
    if not isinstance(ctx, dict):
        raise BankError(f"{where}: context must be a mapping")
    if ctx.get("account") not in ACCOUNTS:
        raise BankError(f"{where}: context.account must be one of {', '.join(ACCOUNTS)}")
    if ctx.get("employee") not in EMPLOYEES:
        raise BankError(f"{where}: context.employee must be one of {', '.join(EMPLOYEES)}")
    try:
        day = date.fromisoformat(str(ctx.get("date")))
    except ValueError:
        raise BankError(f"{where}: context.date must be YYYY-MM-DD") from None
    answer = raw["answer"]
    if answer not in ANSWERS:
        raise BankError(f"{where}: answer must be boleh or tidak")
    point = raw["point"]
    if not isinstance(point, int) or point not in FLAG_POINTS | CLEAR_POINTS:
        raise BankError(f"{where}: point must be a guideline point 1-11")
    # the label must agree with the guideline point that decides it
    if (answer == "tidak") != (point in FLAG_POINTS):
        raise BankError(f"{where}: answer {answer!r} disagrees with guideline point {point} "
                        f"({'kampanye' if point in FLAG_POINTS else 'netral'})")
    skb, category, rule = raw.get("skb"), raw.get("category"), raw.get("rule")
    if answer == "tidak":
        if skb not in SKB_LETTERS:
            raise BankError(f"{where}: a 'tidak' item names its SKB point (A-J)")
        if not _is_advice_category(category):
            raise BankError(f"{where}: category must be an advice category of rules.yaml")
        if rule is not None and rule not in _rule_ids():
            raise BankError(f"{where}: unknown rule {rule!r}")
        _check_act_point(where, act, skb, category)
    elif skb or category or rule:
        raise BankError(f"{where}: a 'boleh' item names no SKB point, category or rule")
    difficulty = raw["difficulty"]
    if difficulty not in (1, 2, 3):
        raise BankError(f"{where}: difficulty must be 1, 2 or 3")
    picture = raw.get("picture")
    if act == "picture":
        picture = _bilingual(picture, where, "picture")
    elif picture:
        raise BankError(f"{where}: only a picture item describes a picture")
    source = _source(raw["source"], where)
    return Item(id=iid, act=act, lesson=raw["lesson"], difficulty=difficulty,
                text=str(raw["text"]), account=ctx["account"], employee=ctx["employee"],
                date=day, answer=answer, point=point,
                explain=_bilingual(raw["explain"], where, "explain"), source=source,
                skb=skb, category=category, rule=rule, picture=picture or {})


def _check_act_point(where: str, act: str, skb: str, category: str) -> None:
    """Acts whose SKB point is fixed by the reference: a like, follow or group join is point F;
    a picture's breach is about what it shows (G), the props in it (A) or the event (C); a
    party-membership reason is point E, a campaign-team one point I."""
    if act in ("like", "follow", "join") and skb != "F":
        raise BankError(f"{where}: a {act} that breaches is SKB point F")
    if act == "picture" and skb not in ("A", "C", "G"):
        raise BankError(f"{where}: a picture that breaches is SKB point A, C or G")
    if category == "anggota_partai" and skb != "E":
        raise BankError(f"{where}: party membership is SKB point E")
    if category == "tim_kampanye" and skb != "I":
        raise BankError(f"{where}: a campaign or winning-team role is SKB point I")


def _source(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or raw.get("type") not in SOURCE_TYPES:
        raise BankError(f"{where}: source.type must be one of {', '.join(SOURCE_TYPES)}")
    kind = raw["type"]
    if kind in ("guideline", "domain") and not str(raw.get("ref") or "").strip():
        raise BankError(f"{where}: a {kind} source cites its section in 'ref'")
    if kind == "real":
        missing = [k for k in REAL_FIELDS if not str(raw.get(k) or "").strip()]
        if missing:
            raise BankError(f"{where}: a real source records {', '.join(missing)}")
        if len(str(raw["commit"])) != 40:
            raise BankError(f"{where}: source.commit must be the full 40-hex commit")
    return {k: str(v) for k, v in raw.items()}


def _is_advice_category(category: Any) -> bool:
    """A category the detector's advice table (rules.yaml) has words for."""
    if not isinstance(category, str):
        return False
    try:
        rulebook.advice(category, "id")
    except KeyError:
        return False
    return True


@cache
def _rule_ids() -> frozenset[str]:
    return frozenset(r.id for r in rulebook.all_rules()) | frozenset(_points()["rules"])


def _read_yaml(name: str) -> Any:
    raw = resources.files("netral.course").joinpath(f"data/{name}").read_text("utf-8")
    return yamlio.safe_load(raw)


@cache
def lessons() -> tuple[Lesson, ...]:
    data = _read_yaml("lessons.yaml")
    out = []
    for n, raw in enumerate(data["lessons"], 1):
        where = f"lessons.yaml lesson {n}"
        out.append(Lesson(
            id=raw["id"], order=n, title=_bilingual(raw.get("title"), where, "title"),
            body={k: list(raw["body"][k]) for k in LANGS},
            examples={k: list(raw.get("examples", {}).get(k, [])) for k in LANGS},
            refs=tuple(raw.get("refs", ())),
        ))
    return tuple(out)


def lesson(lesson_id: str) -> Lesson | None:
    return next((x for x in lessons() if x.id == lesson_id), None)


def parse_items(rows: Iterable[Any], where: str) -> list[Item]:
    ids = [x.id for x in lessons()]
    items, seen = [], set()
    for n, raw in enumerate(rows, 1):
        item = parse_item(raw, f"{where} item {n}", ids)
        if item.id in seen:
            raise BankError(f"{where} item {n}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return items


@cache
def shipped() -> tuple[Item, ...]:
    """The bank shipped with netral (``data/bank.yaml``)."""
    return tuple(parse_items(_read_yaml("bank.yaml")["items"], "bank.yaml"))


@cache
def bank() -> tuple[Item, ...]:
    """The shipped bank plus the agency's own items (``NETRAL_COURSE_ITEMS``, JSONL)."""
    items = list(shipped())
    extra = _extra_path()
    if extra is not None:
        known = {i.id for i in items}
        for item in read_jsonl(extra):
            if item.id in known:
                raise BankError(f"{extra}: id {item.id!r} is already in the shipped bank")
            items.append(item)
    return tuple(items)


def _extra_path() -> Path | None:
    from netral.config import get_settings

    return get_settings().course_items


def item(item_id: str) -> Item | None:
    return _by_id().get(item_id)


@cache
def _by_id() -> dict[str, Item]:
    return {i.id: i for i in bank()}


def read_jsonl(path: Path) -> list[Item]:
    """Items of a JSONL file (one item a line, the bank's fields); the first bad line stops
    the import with its file and line number, nothing half-imported."""
    ids = [x.id for x in lessons()]
    out: list[Item] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError(f"{path}: cannot read ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BankError(f"{path}:{n}: not JSON ({exc.msg}, column {exc.colno})") from None
        out.append(parse_item(raw, f"{path}:{n}", ids))
    return out


def write_jsonl(items: Iterable[Item]) -> str:
    return "".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in items)


# --------------------------------------------------------------------------- explanations


@dataclass(frozen=True, slots=True)
class Explanation:
    text: str
    rule_title: str | None
    citation: str | None
    uncertain_note: str | None
    advice: list[str]


def explain(item: Item, lang: str = "id") -> Explanation:
    """What the page shows after an answer: the item's own sentence, then the rule and the
    advice in the checker's words (rules.yaml), [belum pasti]/[uncertain] kept."""
    text = item.explain.get(lang) or item.explain["id"]
    if item.answer == "boleh":
        return Explanation(text, None, None, None, [])
    rid = item.rule_id or "skb-b"
    course_rules = _points()["rules"]
    if rid in course_rules:
        r = course_rules[rid]
        title = r["title"].get(lang) or r["title"]["id"]
        citation = "; ".join(r["refs"])
        note = (r.get("uncertain_note") or {}).get(lang) if r.get("uncertain") else None
        if r.get("uncertain"):
            citation += " [belum pasti]" if lang == "id" else " [uncertain]"
    else:
        rr = rulebook.rule(rid)
        title = rr.title.get(lang) or rr.title["id"]
        citation = rr.citation(lang)
        note = rr.uncertain_note.get(lang) if rr.uncertain else None
    advice = [rulebook.advice(item.category or "dukungan", lang)]
    extra = rulebook.kind_advice(item.check_kind, lang)
    if extra:
        advice.append(extra)
    if item.account == "official":
        advice.append(rulebook.context_advice("official_account", lang))
    if item.employee in ("pejabat", "pppk", "non_asn"):
        advice.append(rulebook.context_advice(item.employee, lang))
    if item.period == "quiet":
        advice.append(rulebook.context_advice("quiet_period", lang, period=_period_name(lang)))
    elif item.period == "outside":
        advice.append(rulebook.context_advice("outside_campaign", lang))
    return Explanation(text, title, citation, note, advice)


def skb_titles(lang: str = "id") -> dict[str, str]:
    """Short titles of the SKB annex points A-J (the optional "which point?" question)."""
    out = {}
    course_rules = _points()["rules"]
    for letter, entry in _points()["skb"].items():
        rid = entry["rule"]
        title = course_rules[rid]["title"] if rid in course_rules else rulebook.rule(rid).title
        out[letter] = title.get(lang) or title["id"]
    return out


def _period_name(lang: str) -> str:
    return "masa tenang" if lang == "id" else "the quiet period"
