"""The demo: a tour on bundled sample data (``python -m netral.demo``), a synthetic platform
export for self-audit (``export``) and a seeded agency database for the web app (``seed``)."""
