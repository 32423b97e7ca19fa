"""``netral serve``: the web application (pre-post checker, dashboard, review queue, cases)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

err = Console(stderr=True, markup=False, highlight=False)  # URLs and errors as they are


def _db_url(db: str | None) -> str | None:
    if not db:
        return None
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: str | None = typer.Option(
        None, "--db", help="SQLite file or database URL (default: NETRAL_DATABASE_URL or the "
        "embedded SQLite file in the data directory)."),
    workers: int = typer.Option(1, "--workers", min=1, max=32, help="Worker processes."),
    personal: bool = typer.Option(
        False, "--personal", help="For one person on their own machine: the browser "
        "extension may check without a personal token (CORS still admits only the "
        "extension)."),
) -> None:
    """Start the web app: pre-post checker, dashboard, review queue, cases, reports, API."""
    import os

    import uvicorn

    from netral.config import get_settings
    from netral.store.migrate import upgrade

    url = _db_url(db)
    if url:
        os.environ["NETRAL_DATABASE_URL"] = url
        get_settings.cache_clear()
    if personal:  # read by every worker process through the settings
        os.environ["NETRAL_EXTENSION_TOKEN_REQUIRED"] = "false"
        get_settings.cache_clear()
    settings = get_settings()
    try:
        upgrade(settings.database_url)
    except Exception as exc:
        err.print(f"netral serve: database {settings.database_url}: {exc}", style="red")
        raise typer.Exit(2) from None
    err.print(f"netral: http://{host}:{port}/  (database: {settings.database_url})")
    _evidence_notes()
    uvicorn.run(
        "netral.web.asgi:app", host=host, port=port, workers=workers, proxy_headers=True,
        loop="auto", http="auto",
        forwarded_allow_ips="127.0.0.1", access_log=False, log_level="warning",
    )


def _evidence_notes() -> None:
    """Say at start-up what evidence bundles will be signed and stamped with."""
    from netral.review.evidence import key_status

    try:
        st = key_status()
    except Exception as exc:  # settings unreadable: the pages say it again
        err.print(f"netral serve: evidence settings: {exc}", style="yellow")
        return
    if st["fingerprint"]:
        err.print(f"netral: evidence key {st['fingerprint']}")
    else:
        err.print("netral serve: no evidence signing key: run `netral evidence keygen` "
                  "once (and publish its fingerprint) before downloading evidence bundles.",
                  style="yellow")
    if not st["tsa_url"]:
        err.print("netral serve: NETRAL_TSA_URL not set: evidence bundles will be "
                  "signed but not timestamped.", style="yellow")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
