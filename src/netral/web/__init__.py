"""Web application and JSON API (FastAPI, server-rendered pages): ``create_app(settings)``."""

from __future__ import annotations


def create_app(settings=None, **kwargs):
    from netral.web.app import create_app as _create

    return _create(settings, **kwargs)


__all__ = ["create_app"]
