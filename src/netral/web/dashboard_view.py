"""The dashboard's charts, drawn once per set of figures and language.

:func:`netral.review.stats.dashboard` hands out the same figures object while nothing
changed; the SVG drawn from it is kept here for as long, so a page view costs the template
and not eight charts (issue 15: the dashboard at 50 clients).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from markupsafe import Markup

from netral.web import charts
from netral.web.i18n import translate
from netral.web.wording import platform_name

MAX_ENTRIES = 256
BARS = ("by_unit", "by_platform", "by_kind", "by_target", "by_status")

_lock = threading.Lock()
# id(figures) -> (figures, {lang: svgs}); holding the figures keeps their id unique
_charts: dict[int, tuple[dict[str, Any], dict[str, dict[str, Markup]]]] = {}


def _draw(data: dict[str, Any], lang: str) -> dict[str, Markup]:
    empty = translate("dash.empty", lang)
    periods = [(date.fromisoformat(x["start"]), date.fromisoformat(x["end"]), x["label"])
               for x in data["campaign_periods"]]
    svg = {
        "over_time": charts.time_chart(
            [(date.fromisoformat(d), n) for d, n in data["over_time"]], periods,
            title=translate("dash.over_time", lang), empty_text=empty),
    }
    label = {
        "by_status": lambda k: translate(f"status.{k}", lang),
        "by_kind": lambda k: translate(f"kind.{k}", lang),
        "by_platform": platform_name,
    }
    none = {"by_target": translate("dash.no_target", lang),
            "by_unit": translate("dash.no_unit", lang)}
    for key in BARS:
        name = label.get(key, str)
        items = [(name(k) if k != "—" else none.get(key, k), v) for k, v in data[key]]
        svg[key] = charts.bar_chart(items, title=translate(f"dash.{key}", lang),
                                    empty_text=empty)
    return svg


def charts_for(data: dict[str, Any], lang: str) -> dict[str, Markup]:
    with _lock:
        entry = _charts.get(id(data))
        if entry is not None and entry[0] is data and lang in entry[1]:
            return entry[1][lang]
    svg = _draw(data, lang)
    with _lock:
        entry = _charts.get(id(data))
        if entry is None or entry[0] is not data:
            if len(_charts) >= MAX_ENTRIES:
                _charts.pop(next(iter(_charts)))
            entry = (data, {})
            _charts[id(data)] = entry
        entry[1][lang] = svg
    return svg
