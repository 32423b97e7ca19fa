"""`netral` command line: thin commands over the core. Each command group lives in its own
module exposing ``register(app)``; ``COMMANDS`` says which module registers which command.

A command's module is imported only when that command runs (or for ``--help``): a cold
``netral check`` must not pay for the database, web, evidence or Spark code, and on a core
install (no ``web``/``images``/``spark`` extra) those modules' dependencies are not there.
The typer application is in ``_app``; a plain ``netral check`` command line is answered
before it is imported (``netral.cli.check.fast_main``).
"""

from __future__ import annotations

import sys
from typing import Any

# command name -> module under netral.cli that registers it (test_cli_commands checks the map)
COMMANDS: dict[str, str] = {
    "audit": "audit",
    "demo-export": "audit",
    "check": "check",
    "check-image": "images",
    "scan": "scan",
    "spark-scan": "spark",
    "eval": "evaluate",
    "pack": "pack",
    "course": "course",
    "evidence": "evidence",
    "db": "store",
    "roster": "store",
    "ingest": "store",
    "rescan": "store",
    "purge": "store",
    "demo-seed": "store",
    "user": "users",
    "token": "extension",
    "extension": "extension",
    "serve": "web",
}

# A missing import -> the extra that installs it (pip install 'netral[EXTRA]').
EXTRA_OF_MODULE = {
    "sqlalchemy": "web", "alembic": "web", "psycopg": "web", "fastapi": "web",
    "starlette": "web", "uvicorn": "web", "argon2": "web", "itsdangerous": "web",
    "multipart": "web", "python_multipart": "web", "reportlab": "web", "openpyxl": "web",
    "httpx": "web", "cryptography": "web", "rfc3161_client": "web", "asn1crypto": "web",
    "cv2": "images", "pytesseract": "images", "imagehash": "images", "PIL": "images",
    "pyspark": "spark", "pyarrow": "spark", "pandas": "spark",
    "sklearn": "train", "scipy": "train",
}


def __getattr__(name: str) -> Any:
    """``app`` (the typer application) and ``LazyGroup`` live in ``netral.cli._app``, imported
    on first use: `netral check`'s fast path (``main``) runs without typer."""
    if name in ("app", "LazyGroup"):
        from netral.cli import _app

        return getattr(_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def missing_extra(exc: ModuleNotFoundError) -> str | None:
    """The extra that would install the module an import could not find (None: not ours)."""
    top = (exc.name or "").split(".")[0]
    return EXTRA_OF_MODULE.get(top)


def main() -> None:
    from netral.config import SettingsError

    try:
        _main()
    except SettingsError as exc:  # a NETRAL_* variable or the settings file: one line
        from netral.cli._common import EXIT_USAGE, err_line

        err_line(str(exc))
        raise SystemExit(EXIT_USAGE) from None


def _main() -> None:
    if sys.argv[1:2] == ["check"]:
        # the pre-post check answers without typer when its command line is a plain one
        from netral.cli.check import fast_main

        code = fast_main(sys.argv[2:])
        if code is not None:
            raise SystemExit(code)
    from netral.cli._app import app
    from netral.cli._common import EXIT_DATABASE, EXIT_USAGE, err_line

    try:
        app()
    except ModuleNotFoundError as exc:
        extra = missing_extra(exc)
        if extra is None:
            raise
        # a core install runs check, scan and audit; the rest says what to install
        err_line(f"perintah ini butuh paket tambahan '{extra}' (modul {exc.name} tidak ada) / "
                 f"this command needs the '{extra}' extra: pip install 'netral[{extra}]'")
        raise SystemExit(EXIT_USAGE) from None
    except Exception as exc:
        if "sqlalchemy" not in sys.modules:  # no database was touched: not a database failure
            raise
        from netral.store.errors import classify, describe, refused

        kind = classify(exc) or ("refused" if refused(exc) else None)
        if kind is None:
            raise
        # What was committed before the failure stays; a re-run continues from there.
        msg = {
            "unavailable": "basis data tidak dapat dihubungi / database unreachable",
            "busy": "basis data sibuk (dikunci proses lain); ulangi / database busy; retry",
            # e.g. a row deleted while the command ran (netral ingest names the record itself)
            "refused": "basis data menolak data ini / the database refused the data",
        }[kind]
        err_line(f"{msg}: {describe(exc)}")
        raise SystemExit(EXIT_DATABASE) from None
