"""``netral token`` (personal check tokens) and ``netral extension build`` (issue 16).

``netral token create --user NAME --name LABEL`` prints a token once (the server keeps only its
SHA-256); ``netral token list`` and ``netral token revoke ID`` manage them. The operator's
commands need no sign-in: whoever runs them already holds the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netral.cli._common import DbOpt, JsonOpt, LangOpt, console, fail
from netral.cli.store import _engine, _print_json
from netral.cli.text import cli_lang, t


def token_create(
    user: Annotated[str, typer.Option("--user", help="User name the token belongs to.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for, e.g. 'laptop'.")],
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """Make a personal check token (it can only call the check endpoints)."""
    from sqlalchemy import select

    from netral.review import tokens
    from netral.store import audit
    from netral.store.base import make_sessionmaker
    from netral.store.models import User

    lang = cli_lang(lang)
    if not name.strip():
        fail("--name: " + t("name_required", lang))
    engine = _engine(db, lang)
    try:
        with make_sessionmaker(engine)() as s:
            u = s.scalar(select(User).where(User.username == user, User.active.is_(True)))
            if u is None:
                fail(t("no_user", lang, user=user))
            row, plain = tokens.issue(s, u, name, created_by="cli")
            audit.record(s, "token.create", actor="cli", agency_id=u.agency_id,
                         object_type="api_token", object_id=row.id,
                         details={"name": row.name, "prefix": row.prefix, "user_id": u.id})
            data = tokens.token_dict(row)
            s.commit()
    finally:
        engine.dispose()
    if as_json:
        _print_json({**data, "token": plain})
        return
    console.print(t("created", lang, user=user, name=data["name"]), highlight=False)
    typer.echo(plain)


def token_list(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """List check tokens (id, name, prefix, owner, made, last used, revoked)."""
    from sqlalchemy import select

    from netral.review import tokens
    from netral.store.base import make_sessionmaker
    from netral.store.models import ApiToken, User

    lang = cli_lang(lang)
    engine = _engine(db, lang)
    try:
        with make_sessionmaker(engine)() as s:
            stmt = select(ApiToken).join(User, ApiToken.user_id == User.id).order_by(ApiToken.id)
            if user:
                stmt = stmt.where(User.username == user)
            rows = [tokens.token_dict(r) for r in s.scalars(stmt)]
    finally:
        engine.dispose()
    if as_json:
        _print_json(rows)
        return
    if not rows:
        console.print(t("token_none", lang))
        return
    table = Table("id", "name", "prefix", "user", "created", "last used", "revoked")
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["prefix"] + "…", r["username"] or "",
                      (r["created_at"] or "")[:16], (r["last_used_at"] or "—")[:16],
                      (r["revoked_at"] or "—")[:16])
    console.print(table)


def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (netral token list).")],
    db: DbOpt = None, lang: LangOpt = None,
) -> None:
    """Revoke a check token: the extension using it is refused from the next check on."""
    from netral.review import tokens
    from netral.store.base import make_sessionmaker

    lang = cli_lang(lang)
    engine = _engine(db, lang)
    try:
        with make_sessionmaker(engine)() as s:
            row = tokens.revoke_by_id(s, token_id, actor="cli")
            if row is None:
                fail(t("no_token", lang, id=token_id))
            msg = t("revoked", lang, id=row.id, name=row.name, prefix=row.prefix)
            s.commit()
    finally:
        engine.dispose()
    console.print(msg, highlight=False)


def extension_build(
    server: Annotated[str, typer.Option(
        "--server", help="The netral server the extension checks against, http(s)://host[:port].")
    ] = "http://127.0.0.1:8000",
    output: Annotated[Path, typer.Option("-o", "--output", help="The zip to write.")] = Path(
        "dist/netral-extension.zip"),
    lang: LangOpt = None,
) -> None:
    """Build the Chromium extension zip, set to a server's address."""
    from netral import extension

    lang = cli_lang(lang)
    try:
        data = extension.build_zip(server, lang)
    except extension.ServerAddressError as exc:
        fail(f"--server: {exc}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    console.print(t("built", lang, server=extension.normalise_server(server), path=output,
                    size=len(data), id=extension.extension_id()), highlight=False)


def register(app: typer.Typer) -> None:
    token_app = typer.Typer(help="Personal check tokens for the browser extension.",
                            no_args_is_help=True)
    token_app.command("create")(token_create)
    token_app.command("list")(token_list)
    token_app.command("revoke")(token_revoke)
    app.add_typer(token_app, name="token")
    ext_app = typer.Typer(help="The netral browser extension.", no_args_is_help=True)
    ext_app.command("build")(extension_build)
    app.add_typer(ext_app, name="extension")
