"""Pages for passwords and users: the signed-in user's own password, and an administrator's
changes to other users (role, active flag, password reset, deletion). Each calls the same
function as the JSON API (:mod:`netral.review.useradmin`, :func:`netral.web.login.change_password`)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from netral.review import useradmin
from netral.web.deps import CSRF, DB, Me
from netral.web.inputs import PathId
from netral.web.login import change_password
from netral.web.pages import _act, _form, _redirect
from netral.web.templating import flash

router = APIRouter(include_in_schema=False)

USER_ACTIONS = ("role", "activate", "deactivate", "reset_password", "delete")


@router.post("/account/password", dependencies=[CSRF])
async def own_password_submit(request: Request, me: Me, db: DB):
    form = await _form(request)
    new, again = str(form.get("new_password") or ""), str(form.get("new_password2") or "")

    def run():
        if new != again:
            raise ValueError("password_mismatch")
        change_password(request, db, me, str(form.get("current_password") or ""), new)

    return _act(request, run, "/settings", "/settings", ok_key="flash.password_changed")


@router.post("/users/{user_id}/action", dependencies=[CSRF])
async def user_action_submit(request: Request, user_id: PathId, me: Me, db: DB):
    form = await _form(request)
    me.require("admin")
    action = str(form.get("action") or "")
    if action not in USER_ACTIONS:
        flash(request, "error", "error.unknown_action")
        return _redirect("/settings")

    def run():
        if action == "role":
            role = str(form.get("role") or "")
            if role not in useradmin.ROLES:
                raise ValueError("user_invalid")
            useradmin.update_user(db, me, user_id, role=role)
        elif action in ("activate", "deactivate"):
            useradmin.update_user(db, me, user_id, active=action == "activate")
        elif action == "reset_password":
            useradmin.reset_password(db, me, user_id, str(form.get("new_password") or ""))
        else:
            useradmin.delete_user(db, me, user_id)

    return _act(request, run, "/settings", "/settings", ok_key=f"flash.user_{action}")
