"""Users (issue 14): a unit-bound admin manages only its subtree and no agency-wide settings;
passwords are changed (own) and reset (admin); users are deactivated, deleted, given other
roles — in the API, the pages and ``netral user`` — each audited, each ending the sessions
it should."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner
from web_helpers import ApiClient
from web_seed import PASSWORD, World

from netral.review import useradmin
from netral.review.passwords import verify_password
from netral.store.base import make_sessionmaker
from netral.store.models import AgencySettings, AuditLog, Finding, User, WebSession

NEW_PASSWORD = "kata-sandi-baru-456"


@pytest.fixture(scope="module")
def people(app, world: World) -> dict[str, int]:
    """Users of agency A for this module: an admin bound to "Dinas Pendidikan", staff inside
    and outside that subtree, and users without history to reset, deactivate and delete."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    edu, sub = world.units["A"][2], world.units["A"][1]
    specs = {"u_unitadmin": ("admin", edu), "u_edu_staff": ("reviewer", edu),
             "u_sekretariat": ("reviewer", sub), "u_target": ("reviewer", None),
             "u_target2": ("auditor", None), "u_gone": ("auditor", None),
             "u_history": ("reviewer", None), "u_pwself": ("reviewer", None),
             "u_page": ("reviewer", edu), "u_page2": ("auditor", None)}
    out = {}
    with make_sessionmaker(app.state.engine)() as db:
        for name, (role, unit) in specs.items():
            u = User(username=name, display_name=name, password_hash=cheap, role=role,
                     agency_id=world.agencies["A"], unit_id=unit)
            db.add(u)
            db.flush()
            out[name] = u.id
        f = db.get(Finding, world.pool["A"].pop())
        f.assigned_to_id = out["u_history"]  # a user with history: deactivate, not delete
        db.commit()
    return out


def _db(app):
    return make_sessionmaker(app.state.engine)()


def _audit(app, action: str, object_id: int) -> list[AuditLog]:
    with _db(app) as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.action == action,
                                                      AuditLog.object_id == str(object_id))))


def _live_sessions(app, user_id: int) -> int:
    with _db(app) as db:
        return len(db.scalars(select(WebSession).where(WebSession.user_id == user_id,
                                                       WebSession.revoked_at.is_(None))).all())


def test_a_unit_bound_admin_manages_only_its_subtree_and_no_agency_settings(app, world, people):
    c = ApiClient(app, "u_unitadmin")
    names = {u["username"] for u in c.get("/api/v1/users").json()["items"]}
    assert {"u_unitadmin", "u_edu_staff", "a_unitreviewer"} <= names
    assert not names & {"a_admin", "a_reviewer", "u_sekretariat", "u_target", "b_admin"}
    # agency-wide users and other units' users are not found; nor is any unit outside
    for uid in (world.users["a_admin"], people["u_sekretariat"], people["u_target"]):
        assert c.request("PATCH", f"/api/v1/users/{uid}", json={"role": "auditor"}
                         ).status_code == 404
        assert c.post(f"/api/v1/users/{uid}/password",
                      json={"new_password": NEW_PASSWORD}).status_code == 404
        assert c.request("DELETE", f"/api/v1/users/{uid}").status_code == 404
    staff = people["u_edu_staff"]
    for unit in (world.units["A"][0], None):  # Sekretariat, or agency-wide: refused
        r = c.request("PATCH", f"/api/v1/users/{staff}", json={"unit_id": unit})
        assert r.status_code == 404
    r = c.request("PATCH", f"/api/v1/users/{staff}", json={"role": "supervisor"})
    assert r.status_code == 200 and r.json()["role"] == "supervisor"
    r = c.post("/api/v1/users", json={"username": "u_made_by_unit", "password": NEW_PASSWORD,
                                      "role": "reviewer"})
    assert r.status_code == 201 and r.json()["unit_id"] == world.units["A"][2]
    # agency-wide settings: readable, not changeable
    with _db(app) as db:
        before = db.get(AgencySettings, world.agencies["A"]).netral_sample_rate
    assert c.get("/api/v1/settings").status_code == 200
    assert c.put("/api/v1/settings", json={"netral_sample_rate": 0.99}).status_code == 403
    page = c.get("/settings").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert 'id="settings-form"' in page and 'id="user-form"' in page
    assert "u_sekretariat" not in page and "u_edu_staff" in page
    r = c.http.post("/settings", data={"csrf_token": token, "netral_sample_rate": "0.99"},
                    follow_redirects=False)
    assert r.status_code == 403
    with _db(app) as db:
        assert db.get(AgencySettings, world.agencies["A"]).netral_sample_rate == before
    # the agency's unbound admin still sees everyone of the agency, not agency B
    names = {u["username"] for u in ApiClient(app, "a_admin").get("/api/v1/users").json()["items"]}
    assert {"a_admin", "u_sekretariat", "u_edu_staff"} <= names and "b_admin" not in names


def test_own_password_change_needs_the_current_one_and_ends_other_sessions(app, people):
    uid = people["u_pwself"]
    laptop, phone = ApiClient(app, "u_pwself"), ApiClient(app, "u_pwself")
    r = laptop.post("/api/v1/auth/password", json={"current_password": "bukan-ini-123",
                                                   "new_password": NEW_PASSWORD})
    assert r.status_code == 400 and "salah" in r.json()["message"].lower()
    assert _audit(app, "user.password_change_failed", uid)
    r = laptop.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                   "new_password": "u_pwself"})
    assert r.status_code == 422  # too short (and the user name): refused by the schema
    with pytest.raises(ValueError, match="password_weak"):  # the user name as password
        useradmin.check_password("Nama.Pengguna.Panjang", "nama.pengguna.panjang")
    r = laptop.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                   "new_password": NEW_PASSWORD})
    assert r.status_code == 200
    assert laptop.get("/api/v1/auth/me").status_code == 200  # this session goes on
    assert phone.get("/api/v1/auth/me").status_code == 401  # the other one ended
    anon = TestClient(app)
    assert anon.post("/api/v1/auth/login", json={"username": "u_pwself",
                                                 "password": PASSWORD}).status_code == 401
    assert anon.post("/api/v1/auth/login", json={"username": "u_pwself",
                                                 "password": NEW_PASSWORD}).status_code == 200
    (entry,) = _audit(app, "user.password_change", uid)
    assert entry.details["sessions_revoked"] >= 1 and NEW_PASSWORD not in str(entry.details)


def test_an_admin_resets_a_password_changes_a_role_and_deactivates(app, world, people):
    admin = ApiClient(app, "a_admin")
    uid = people["u_target"]
    target = ApiClient(app, "u_target")
    r = admin.post(f"/api/v1/users/{uid}/password", json={"new_password": NEW_PASSWORD})
    assert r.status_code == 200
    assert target.get("/api/v1/auth/me").status_code == 401  # their session ended
    assert _audit(app, "user.password_reset", uid)
    target = ApiClient(app, "u_target", NEW_PASSWORD)
    r = admin.request("PATCH", f"/api/v1/users/{uid}", json={"role": "supervisor"})
    assert r.status_code == 200 and r.json()["role"] == "supervisor"
    (entry,) = _audit(app, "user.update", uid)
    assert entry.details["before"] == {"role": "reviewer"}
    assert entry.details["after"] == {"role": "supervisor"}
    assert target.get("/api/v1/auth/me").status_code == 401
    target = ApiClient(app, "u_target", NEW_PASSWORD)
    assert target.get("/api/v1/auth/me").json()["role"] == "supervisor"
    r = admin.request("PATCH", f"/api/v1/users/{uid}", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert target.get("/api/v1/auth/me").status_code == 401 and _live_sessions(app, uid) == 0
    anon = TestClient(app)
    assert anon.post("/api/v1/auth/login", json={"username": "u_target",
                                                 "password": NEW_PASSWORD}).status_code == 401
    assert admin.request("PATCH", f"/api/v1/users/{uid}", json={"active": True}
                         ).status_code == 200
    assert anon.post("/api/v1/auth/login", json={"username": "u_target",
                                                 "password": NEW_PASSWORD}).status_code == 200
    # nobody changes their own role, deactivates themselves or resets their own password
    me = world.users["a_admin"]
    r = admin.request("PATCH", f"/api/v1/users/{me}", json={"role": "reviewer"})
    assert r.status_code == 409 and r.json()["detail"] == "user_self"
    assert admin.request("PATCH", f"/api/v1/users/{me}", json={"active": False}
                         ).status_code == 409
    assert admin.post(f"/api/v1/users/{me}/password", json={"new_password": NEW_PASSWORD}
                      ).status_code == 409
    assert admin.request("DELETE", f"/api/v1/users/{me}").status_code == 409
    # other roles may not manage users at all
    sup = ApiClient(app, "a_supervisor")
    assert sup.request("PATCH", f"/api/v1/users/{uid}", json={"active": False}
                       ).status_code == 403
    assert sup.get("/api/v1/users").status_code == 403


def test_a_user_with_history_is_deactivated_not_deleted(app, people):
    admin = ApiClient(app, "a_admin")
    r = admin.request("DELETE", f"/api/v1/users/{people['u_history']}")
    assert r.status_code == 409 and r.json()["detail"] == "user_has_history"
    r = admin.request("DELETE", f"/api/v1/users/{people['u_gone']}")
    assert r.status_code == 200 and r.json()["deleted"]["username"] == "u_gone"
    with _db(app) as db:
        assert db.get(User, people["u_gone"]) is None
        assert db.get(User, people["u_history"]) is not None
    (entry,) = _audit(app, "user.delete", people["u_gone"])
    assert entry.actor == "a_admin" and entry.details["username"] == "u_gone"


def test_the_settings_page_changes_passwords_and_users(app, people):
    c = ApiClient(app, "a_admin")
    page = c.get("/settings").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    uid = people["u_page"]
    assert f'action="/users/{uid}/action"' in page and 'id="password-form"' in page

    def act(**form):
        return c.http.post(f"/users/{uid}/action", data={"csrf_token": token, **form},
                           follow_redirects=False)

    assert act(action="role", role="auditor").status_code == 303
    assert act(action="deactivate").status_code == 303
    assert act(action="reset_password", new_password=NEW_PASSWORD).status_code == 303
    with _db(app) as db:
        u = db.get(User, uid)
        assert (u.role, u.active) == ("auditor", False)
        assert verify_password(u.password_hash, NEW_PASSWORD)
    r = act(action="reset_password", new_password="pendek")
    assert r.status_code == 303
    assert "10–1024 karakter" in c.get("/settings").text  # the flash says why
    assert act(action="delete").status_code == 303
    with _db(app) as db:
        assert db.get(User, uid) is None
    # own password from the page
    own = ApiClient(app, "u_page2")
    page = own.get("/settings").text
    token2 = page.split('name="csrf_token" value="')[1].split('"')[0]
    r = own.http.post("/account/password", data={
        "csrf_token": token2, "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    assert own.get("/settings").status_code == 200
    with _db(app) as db:
        assert verify_password(db.get(User, people["u_page2"]).password_hash, NEW_PASSWORD)


def test_the_command_line_manages_users(app, web_db, world, people):
    from netral.cli import app as cli

    url = web_db[0]
    run = CliRunner().invoke

    r = run(cli, ["user", "create", "u_cli", "--role", "reviewer", "--agency", "pemkab-a",
                  "--unit", "Dinas Pendidikan", "--password-stdin", "--db", url],
            input=NEW_PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    r = run(cli, ["user", "list", "--agency", "pemkab-a", "--json", "--db", url])
    rows = {u["username"]: u for u in __import__("orjson").loads(r.stdout)}
    assert rows["u_cli"]["unit"] == "Dinas Pendidikan" and "b_admin" not in rows
    uid = rows["u_cli"]["id"]
    session = ApiClient(app, "u_cli", NEW_PASSWORD)
    r = run(cli, ["user", "set", "u_cli", "--role", "supervisor", "--agency-wide", "--db", url])
    assert r.exit_code == 0, r.output
    assert session.get("/api/v1/auth/me").status_code == 401
    r = run(cli, ["user", "password", "u_cli", "--password-stdin", "--db", url],
            input="kata-sandi-ketiga-789\n")
    assert r.exit_code == 0, r.output
    r = run(cli, ["user", "deactivate", "u_cli", "--db", url])
    assert r.exit_code == 0
    with _db(app) as db:
        u = db.get(User, uid)
        assert (u.role, u.unit_id, u.active) == ("supervisor", None, False)
        assert verify_password(u.password_hash, "kata-sandi-ketiga-789")
    actions = {a.action: a for a in _audit_all(app, uid)}
    assert {"user.create", "user.update", "user.password_reset"} <= set(actions)
    assert actions["user.create"].actor.startswith("cli:") and actions["user.create"].actor_id is None
    r = run(cli, ["user", "delete", "u_cli", "--db", url])
    assert r.exit_code == 0
    # errors are one line, exit 2, no traceback
    r = run(cli, ["user", "password", "nobody-here", "--password-stdin", "--db", url],
            input=NEW_PASSWORD + "\n")
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = run(cli, ["user", "create", "u_weak", "--role", "reviewer", "--agency", "pemkab-a",
                  "--password-stdin", "--db", url], input="pendek\n")
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = run(cli, ["user", "delete", "u_history", "--db", url])
    assert r.exit_code == 2 and "nonaktif" in r.output.lower()
    r = run(cli, ["user", "create", "u_root2", "--role", "admin", "--global",
                  "--password-stdin", "--db", url], input=NEW_PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert ApiClient(app, "u_root2", NEW_PASSWORD).get("/api/v1/auth/me").json()["agency_id"] is None


def _audit_all(app, user_id: int) -> list[AuditLog]:
    with _db(app) as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.object_type == "user",
                                                      AuditLog.object_id == str(user_id))
                               .order_by(AuditLog.id)))
