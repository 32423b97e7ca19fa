"""News outlets, from one data file (``data/media.yaml``) for every stage that looks for them:
the headline test of ``context`` and the combiner's ``media`` shape feature."""

from __future__ import annotations

import re
from importlib import resources

from netral.data import yamlio


def _load() -> list[dict]:
    raw = resources.files("netral.detect").joinpath("data", "media.yaml").read_text("utf-8")
    outlets = yamlio.safe_load(raw)["outlets"]  # libyaml's C parser where present
    for o in outlets:
        re.compile(o["pattern"])  # a broken pattern fails at import, naming the outlet
        if o["bare"] is not None:
            re.compile(o["bare"])
    return outlets


_OUTLETS = _load()
# every outlet's name in its domain/suffix forms ("kompas.com", "… - Kompas.com", "| Tempo")
NAMES = "|".join(o["pattern"] for o in _OUTLETS)
# the outlets whose bare name means the outlet wherever it appears
BARE_NAMES = "|".join(o["bare"] for o in _OUTLETS if o["bare"] is not None)
