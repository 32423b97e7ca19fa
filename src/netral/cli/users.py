"""``netral user``: the web app's users from the server's command line.

list, create, password (reset), set (role, unit, name), deactivate, activate, delete. The
command line acts as a global administrator named ``cli:<login name>`` in the audit log and
calls the same functions as the web pages and the API (:mod:`netral.review.useradmin`), so the
same rules hold (a user with history is deactivated, not deleted; passwords of at least 10
characters; a reset password, a deactivation or a role change ends the user's sessions).
Passwords are never command-line arguments (other users of the server could read them from
the process list): they are asked for twice without echo, or read from standard input with
``--password-stdin``.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from netral.cli._common import DbOpt, JsonOpt, LangOpt, console, exit_error
from netral.cli.store import _engine, _print_json
from netral.cli.text import cli_lang, refuse, t

RoleOpt = Annotated[str | None, typer.Option("--role", help="admin | supervisor | reviewer | "
                                                           "auditor")]
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help="Read the password from the first line of standard input.")]


def _read_password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise refuse("password_stdin_empty", lang)
        return line
    return typer.prompt(t("password_prompt", lang), hide_input=True, confirmation_prompt=True)


def _run(db: str | None, lang: str, fn) -> Any:
    """Run ``fn(session)`` in one transaction as the CLI operator; the web app's errors
    become one line each (no traceback)."""
    from netral.review.authz import Conflict, Forbidden, NotFound
    from netral.store.base import make_sessionmaker
    from netral.web.i18n import translate

    engine = _engine(db, lang)
    try:
        with make_sessionmaker(engine)() as session:
            try:
                out = fn(session)
                session.commit()
                return out
            except NotFound as exc:
                session.rollback()
                raise refuse("not_found", lang, what=str(exc)) from None
            except (Conflict, ValueError, Forbidden) as exc:
                session.rollback()
                code = str(exc).partition(":")[0]
                text = translate(f"error.{code}", lang)
                raise exit_error(text if text != f"error.{code}" else str(exc)) from None
    finally:
        engine.dispose()


def _agency_id(session, code: str, lang: str) -> int:
    from sqlalchemy import select

    from netral.store.models import Agency

    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise refuse("agency_unknown", lang, code=code)
    return agency.id


def _unit_id(session, agency_id: int, agency_code: str, path: str, lang: str) -> int:
    from sqlalchemy import select

    from netral.store.models import Unit

    norm = "/".join(p.strip() for p in path.split("/") if p.strip())
    unit = session.scalar(select(Unit).where(Unit.agency_id == agency_id, Unit.path == norm))
    if unit is None:
        raise refuse("unit_unknown", lang, agency=agency_code, unit=path)
    return unit.id


def _done(action: str, user: dict[str, Any], lang: str, as_json: bool) -> None:
    if as_json:
        _print_json({"action": action, "user": user})
        return
    console.print(t("done", lang, action=t(f"user_{action}", lang), user=user["username"]))


# --------------------------------------------------------------------------- commands


def user_list(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency.")] = None,
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """Daftar pengguna / list the users."""
    from netral.review import useradmin

    lang = cli_lang(lang)

    def fn(session):
        from sqlalchemy import select

        from netral.store.models import Agency, User

        stmt = select(User, Agency.code).outerjoin(Agency, Agency.id == User.agency_id)
        if agency is not None:
            stmt = stmt.where(User.agency_id == _agency_id(session, agency, lang))
        return [{**useradmin.user_dict(u), "agency": code}
                for u, code in session.execute(stmt.order_by(Agency.code, User.username))]

    rows = _run(db, lang, fn)
    if as_json:
        _print_json(rows)
        return
    table = Table()
    for col in ("id", "username", "role", "agency", "unit", "active", "last_login_at"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["username"], r["role"], r["agency"] or "—",
                      r["unit"] or "—", t("active" if r["active"] else "inactive", lang),
                      r["last_login_at"] or "—")
    console.print(table)


def user_create(
    username: Annotated[str, typer.Argument(help="User name (3–64: letters, digits, _.@-).")],
    role: Annotated[str, typer.Option("--role", help="admin | supervisor | reviewer | "
                                                     "auditor")],
    agency: Annotated[str | None, typer.Option("--agency", help="Agency code.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Bind to this unit path "
                                                            "(and below).")] = None,
    global_admin: Annotated[bool, typer.Option(
        "--global", help="A global administrator (no agency; role admin).")] = False,
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    password_stdin: PasswordStdin = False,
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """Buat pengguna / create a user."""
    from pydantic import ValidationError

    from netral.review import useradmin
    from netral.web.api import UserIn

    lang = cli_lang(lang)
    if (agency is None) == (not global_admin):
        raise refuse("agency_or_global", lang)
    password = _read_password(password_stdin, lang)
    try:
        UserIn(username=username, password=password, role=role, display_name=name)
    except ValidationError:
        from netral.web.i18n import translate

        raise exit_error(translate("error.user_invalid", lang)) from None

    def fn(session):
        agency_id = unit_id = None
        if agency is not None:
            agency_id = _agency_id(session, agency, lang)
            if unit is not None:
                unit_id = _unit_id(session, agency_id, agency, unit, lang)
        return useradmin.create_user(session, useradmin.operator(), username=username,
                                     password=password, role=role, display_name=name,
                                     unit_id=unit_id, agency_id=agency_id,
                                     global_admin=global_admin)

    _done("create", _run(db, lang, fn), lang, as_json)


def user_password(
    username: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: PasswordStdin = False,
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """Atur ulang kata sandi (sesi pengguna berakhir) / reset a password."""
    from netral.review import useradmin

    lang = cli_lang(lang)
    password = _read_password(password_stdin, lang)

    def fn(session):
        u = useradmin.find_user(session, username)
        return useradmin.reset_password(session, useradmin.operator(), u.id, password)

    _done("password", _run(db, lang, fn), lang, as_json)


def user_set(
    username: Annotated[str, typer.Argument(help="User name.")],
    role: RoleOpt = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Bind to this unit path.")] = None,
    agency_wide: Annotated[bool, typer.Option("--agency-wide",
                                              help="Remove the unit binding.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """Ubah peran, unit atau nama (sesi berakhir bila peran/unit berubah) / change a user."""
    from netral.review import useradmin
    from netral.web.i18n import translate

    lang = cli_lang(lang)
    if unit is not None and agency_wide:
        raise exit_error("--unit / --agency-wide")
    if role is not None and role not in useradmin.ROLES:
        raise exit_error(translate("error.user_invalid", lang))

    def fn(session):
        from netral.store.models import Agency

        u = useradmin.find_user(session, username)
        unit_id: Any = useradmin.UNSET
        if agency_wide:
            unit_id = None
        elif unit is not None:
            code = session.get(Agency, u.agency_id).code if u.agency_id else "—"
            unit_id = _unit_id(session, u.agency_id or 0, code, unit, lang)
        return useradmin.update_user(session, useradmin.operator(), u.id, role=role,
                                     unit_id=unit_id, display_name=name)

    _done("set", _run(db, lang, fn), lang, as_json)


def _set_active(active: bool):
    def command(
        username: Annotated[str, typer.Argument(help="User name.")],
        db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
    ) -> None:
        from netral.review import useradmin

        lang = cli_lang(lang)

        def fn(session):
            u = useradmin.find_user(session, username)
            return useradmin.update_user(session, useradmin.operator(), u.id, active=active)

        action = "activate" if active else "deactivate"
        _done(action, _run(db, lang, fn), lang, as_json)

    command.__doc__ = ("Aktifkan pengguna / activate a user." if active else
                       "Nonaktifkan pengguna (sesinya berakhir) / deactivate a user.")
    return command


def user_delete(
    username: Annotated[str, typer.Argument(help="User name.")],
    db: DbOpt = None, lang: LangOpt = None, as_json: JsonOpt = False,
) -> None:
    """Hapus pengguna tanpa riwayat (selainnya: nonaktifkan) / delete a user without
    history (others: deactivate)."""
    from netral.review import useradmin

    lang = cli_lang(lang)

    def fn(session):
        u = useradmin.find_user(session, username)
        return useradmin.delete_user(session, useradmin.operator(), u.id)

    _done("delete", _run(db, lang, fn), lang, as_json)


def register(app: typer.Typer) -> None:
    lang = cli_lang(None)
    user_app = typer.Typer(help=t("user_help", lang), no_args_is_help=True)
    user_app.command("list")(user_list)
    user_app.command("create")(user_create)
    user_app.command("password")(user_password)
    user_app.command("set")(user_set)
    user_app.command("deactivate")(_set_active(False))
    user_app.command("activate")(_set_active(True))
    user_app.command("delete")(user_delete)
    app.add_typer(user_app, name="user")
