"""The constructed example phrases of the domain reference (shared/domain/README.md §3.2):
C must be flagged, N must not; G (grey) may go either way. Skipped where shared/ is absent."""

import re
from pathlib import Path

import pytest

import netral

DOMAIN = Path(__file__).resolve().parents[3] / "shared" / "domain" / "README.md"


def _examples() -> list[tuple[int, str, str]]:
    if not DOMAIN.is_file():
        return []
    rows = []
    for line in DOMAIN.read_text(encoding="utf-8").splitlines():
        m = re.match(r'\| (\d+) \| "(.*)" \| ([CNG/]+) \|', line)
        if m:
            rows.append((int(m.group(1)), m.group(2), m.group(3)))
    return rows


EXAMPLES = _examples()


@pytest.mark.skipif(not EXAMPLES, reason="shared/domain/README.md not beside the checkout")
@pytest.mark.parametrize(("num", "text", "label"), EXAMPLES, ids=[str(e[0]) for e in EXAMPLES])
def test_domain_example(num: int, text: str, label: str) -> None:
    r = netral.check(text)
    if label == "C":
        assert r.flagged, (num, text, r.score)
    elif label == "N":
        assert not r.flagged, (num, text, r.score, [x.text for x in r.reasons])
