"""Failed sign-ins, counted in the database (shared by every worker, kept over a restart).

Three counts, each in a fixed window (``login_window_seconds``, 5 minutes by default):

* **one name from one address** (``pair``): after ``login_max_failures`` (5) failures that
  address may not try that name until the window ends. A successful sign-in clears only this
  count. This is the lock an attacker triggers, and it locks out only the attacker.
* **one address** (``address``): after ``login_max_failures_per_address`` failures (6 × the
  above unless set) the address may not sign in at all until the window ends. A successful
  sign-in does *not* clear it, so an insider cannot spray one password over many accounts
  and reset the count with their own login between rounds.
* **one name from every address** (``account``): a progressive delay, not a lock. From the
  ``login_max_failures``-th failure on, the next attempt must wait 1 s, then 2, 4 … up to
  ``login_max_delay_seconds`` (60) after the last failure. Addresses from which that name
  signed in successfully within ``login_known_days`` (30) are spared the delay, so an
  attacker guessing from many addresses slows the guessing down without keeping the real
  user out.

What is refused is refused before the password is checked (no timing oracle), with 429 and
``Retry-After``. The table holds HMACs of names and addresses under the server's secret key,
not the names or addresses themselves; rows older than any window are deleted as failures
come in.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, or_, select, update
from sqlalchemy.orm import Session

from netral.store.models import LoginThrottle
from netral.store.sql import insert_ignore
from netral.store.types import UTCDateTime, utcnow

PAIR, ADDRESS, ACCOUNT, KNOWN = "pair", "address", "account", "known"


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    max_failures: int = 5
    window_seconds: int = 300
    max_failures_per_address: int = 30
    max_delay_seconds: int = 60
    known_days: int = 30


class LoginThrottled(Exception):
    """Too many failed sign-ins; ``retry_after`` seconds until the next attempt may be made."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited")
        self.retry_after = max(1, retry_after)


class Throttle:
    """The three counts of the module doc, kept in the ``login_throttle`` table."""

    def __init__(self, secret: str, policy: ThrottlePolicy) -> None:
        self._secret = hashlib.sha256(("netral.login-throttle:" + secret).encode()).digest()
        self.policy = policy

    def _key(self, scope: str, name: str, address: str) -> str:
        msg = f"{scope}\0{name.strip().lower()}\0{address}".encode()
        return hmac.new(self._secret, msg, hashlib.sha256).hexdigest()

    def _keys(self, name: str, address: str) -> dict[str, str]:
        return {PAIR: self._key(PAIR, name, address), ADDRESS: self._key(ADDRESS, "", address),
                ACCOUNT: self._key(ACCOUNT, name, ""), KNOWN: self._key(KNOWN, name, address)}

    def check(self, db: Session, name: str, address: str) -> None:
        """Raise :class:`LoginThrottled` when this attempt must not be made now."""
        keys = self._keys(name, address)
        rows = {r.scope: r for r in db.scalars(
            select(LoginThrottle).where(LoginThrottle.key.in_(list(keys.values()))))}
        now = utcnow()
        p = self.policy
        window = timedelta(seconds=p.window_seconds)
        waits = []
        for scope, limit in ((PAIR, p.max_failures), (ADDRESS, p.max_failures_per_address)):
            row = rows.get(scope)
            if row is not None and row.window_start > now - window and row.failures >= limit:
                waits.append((row.window_start + window - now).total_seconds())
        acct = rows.get(ACCOUNT)
        known = rows.get(KNOWN)
        spared = known is not None and known.last_at > now - timedelta(days=p.known_days)
        if acct is not None and not spared and acct.window_start > now - window:
            over = acct.failures - p.max_failures
            if over >= 0:
                delay = min(float(p.max_delay_seconds), 2.0 ** min(over, 30))
                left = (acct.last_at + timedelta(seconds=delay) - now).total_seconds()
                if left > 0:
                    waits.append(left)
        if waits:
            raise LoginThrottled(math.ceil(max(waits)))

    def failure(self, db: Session, name: str, address: str) -> None:
        """Count a failed attempt (in the caller's transaction)."""
        keys = self._keys(name, address)
        now = utcnow()
        for scope in (PAIR, ADDRESS, ACCOUNT):
            self._bump(db, keys[scope], scope, now)
        self._prune(db, now)

    def success(self, db: Session, name: str, address: str) -> None:
        """A correct password: clear this name's count from this address (never the address's
        own count) and remember the address as one this name signs in from."""
        keys = self._keys(name, address)
        now = utcnow()
        db.execute(delete(LoginThrottle).where(LoginThrottle.key == keys[PAIR]))
        done = db.execute(update(LoginThrottle).where(LoginThrottle.key == keys[KNOWN])
                          .values(last_at=now)).rowcount
        if not done:
            insert_ignore(db.connection(), LoginThrottle.__table__,
                          [{"key": keys[KNOWN], "scope": KNOWN, "failures": 0,
                            "window_start": now, "last_at": now}], ["key"])
        self._prune(db, now)

    def _bump(self, db: Session, key: str, scope: str, now: datetime) -> None:
        # One UPDATE decides inside the database, so concurrent failures on several workers
        # all count; an expired window starts again at 1.
        expired = LoginThrottle.window_start <= now - timedelta(seconds=self.policy.window_seconds)
        restart = literal(now, UTCDateTime())  # stored like every other time of the table
        stmt = (update(LoginThrottle).where(LoginThrottle.key == key)
                .values(failures=case((expired, 1), else_=LoginThrottle.failures + 1),
                        window_start=case((expired, restart), else_=LoginThrottle.window_start),
                        last_at=now)
                .execution_options(synchronize_session=False))
        if db.execute(stmt).rowcount:
            return
        inserted = insert_ignore(db.connection(), LoginThrottle.__table__,
                                 [{"key": key, "scope": scope, "failures": 1,
                                   "window_start": now, "last_at": now}], ["key"])
        if not inserted:  # another worker inserted it meanwhile: count on its row
            db.execute(stmt)

    def _prune(self, db: Session, now: datetime) -> None:
        p = self.policy
        stale = now - timedelta(seconds=max(p.window_seconds, p.max_delay_seconds))
        db.execute(delete(LoginThrottle).where(or_(
            and_(LoginThrottle.scope != KNOWN, LoginThrottle.last_at < stale),
            and_(LoginThrottle.scope == KNOWN,
                 LoginThrottle.last_at < now - timedelta(days=p.known_days)),
        )).execution_options(synchronize_session=False))
