"""Web load test on loopback (bounded in time): ``POST /api/v1/check`` and the dashboard page
at 50 concurrent clients, with locust (headless, as a library; FastHttpUser). locust is in
the ``dev`` extra (``pip install -e '.[dev]'``).

    .venv/bin/python bench/bench_web.py [--users 50] [--duration 20] [--workers 1]
                                        [--scenario dashboard ...]

Scenarios: ``check`` (saturation: no think time, measures capacity), ``check_paced`` (50
people each checking a draft about once a second), ``dashboard`` (saturation: 50 signed-in
clients reloading the dashboard back-to-back) and ``dashboard_paced`` (50 supervisors each
opening it about once a second). ``--scenario`` picks some (default: all).
Starts ``netral demo-seed`` and ``netral serve`` in subprocesses on a free loopback port with
a temporary data directory, then measures each scenario in turn. Reports requests/s, p50,
p95 and p99 (ms) and failures; writes ``bench/out/web.json``. Targets: p95 < 50 ms for the
check (issue 5) and p95 < 100 ms for the dashboard (issue 15) at 50 concurrent clients on
this 2-core machine (client and server share it).
"""

from __future__ import annotations

# locust patches the standard library with gevent: it must be imported first.
from locust import FastHttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gevent
import httpx

# A realistic stream (as in bench_detect.py): most drafts are everyday or service content;
# about one in five touches the election and takes the detector's full path.
EVERYDAY = [
    ("Selamat pagi rekan-rekan, apel pagi pukul 07.30 di halaman kantor", "post"),
    ("Pelayanan perekaman KTP-el dibuka Sabtu ini di kantor kecamatan", "post"),
    ("Aamiin ya Allah semoga sehat selalu", "comment"),
    ("Hujan deras sejak subuh, hati-hati di jalan ya teman-teman", "post"),
    ("Alhamdulillah laporan keuangan triwulan sudah selesai, terima kasih tim", "post"),
    ("Gemoy banget kucing baru di rumah", "share"),
    ("Info lowongan CPNS formasi 2024 bisa dicek di portal resmi BKN", "share"),
    ("Rapat koordinasi anggaran dinas hari ini berjalan lancar", "post"),
]
ELECTION = [
    ("Ayo coblos no. 2 tgl 14 Feb, biar Indonesia Maju!", "post"),
    ("Pilih pr4bowo-gibr4n, satu putaran aja gaes", "comment"),
    ("Jangan lupa datang ke TPS 14 Februari, gunakan hak pilihmu", "share"),
    ("Ojo lali nyoblos nomer loro yo lur", "comment"),
    ("Proud to be relawan Ganjar-Mahfud! Let's go 03", "bio"),
    ("AMIN for president #AMIN #Perubahan", "share"),
]


def pick_text() -> tuple[str, str]:
    return random.choice(ELECTION) if random.random() < 0.2 else random.choice(EVERYDAY)



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _netral(*args: str, env: dict[str, str], **kw) -> subprocess.Popen | subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "netral.cli", *args]
    if kw.pop("background", False):
        return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, **kw)
    return subprocess.run(cmd, env=env, check=True, capture_output=True, **kw)


class CheckUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def check(self) -> None:
        text, kind = pick_text()
        self.client.post("/api/v1/check", json={"text": text, "kind": kind},
                         name="POST /api/v1/check")


class PacedCheckUser(CheckUser):
    """A person checking drafts: one check about every second (interactive load)."""

    wait_time = between(0.5, 1.5)


class DashboardUser(FastHttpUser):
    wait_time = constant(0)
    cookie = ""

    @task
    def dashboard(self) -> None:
        self.client.get("/dashboard", headers={"Cookie": self.cookie}, name="GET /dashboard")


class PacedDashboardUser(DashboardUser):
    """A supervisor looking at the dashboard: one page view every second or so."""

    wait_time = between(0.5, 1.5)


SCENARIOS: dict[str, type] = {
    # saturation: every client sends its next request as soon as the answer arrives
    "check": CheckUser,
    # 50 people checking drafts, each about once a second
    "check_paced": PacedCheckUser,
    "dashboard": DashboardUser,
    "dashboard_paced": PacedDashboardUser,
}


# p95 targets: the checker (issue 5) and the dashboard (issue 15)
TARGET_MS = {"check": 50, "check_paced": 50, "dashboard": 100, "dashboard_paced": 100}


def run_scenario(user_class, host: str, users: int, duration: float) -> dict:
    env = Environment(user_classes=[user_class], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(2.0)  # ramp-up and warm-up, not measured
    env.stats.reset_all()
    start = time.perf_counter()
    gevent.sleep(duration)
    elapsed = time.perf_counter() - start
    total = env.stats.total
    out = {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.num_requests / elapsed, 1),
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "mean_ms": round(total.avg_response_time, 2),
    }
    runner.quit()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per scenario")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                    help="run only this scenario (repeatable; default: all)")
    args = ap.parse_args()
    chosen = args.scenario or list(SCENARIOS)

    tmp = Path(tempfile.mkdtemp(prefix="netral-bench-web-"))
    env = {**os.environ, "NETRAL_DATA_DIR": str(tmp), "NETRAL_CACHE_DIR": str(tmp / "cache")}
    db = f"sqlite:///{tmp / 'netral.db'}"
    t0 = time.perf_counter()
    _netral("demo-seed", "--db", db, env=env)
    seed_s = time.perf_counter() - t0
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = _netral("serve", "--db", db, "--port", str(port), "--workers", str(args.workers),
                     env=env, background=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(host + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                err = server.stderr.read().decode() if server.stderr else ""
                print(f"server did not start: {err}", file=sys.stderr)
                return 1
            time.sleep(0.3)
        login = httpx.post(host + "/api/v1/auth/login",
                           json={"username": "supervisor", "password": "supervisor-demo-2024"})
        login.raise_for_status()
        DashboardUser.cookie = "; ".join(f"{k}={v}" for k, v in login.cookies.items())
        results = {name: run_scenario(SCENARIOS[name], host, args.users, args.duration)
                   for name in chosen}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    report = {
        "machine": {"cpus": os.cpu_count()},
        "server_workers": args.workers,
        "demo_seed_seconds": round(seed_s, 1),
        "results": results,
        "targets": {name: f"p95 < {TARGET_MS[name]} ms at {args.users} concurrent clients"
                    for name in results},
        "targets_met": {name: r["p95_ms"] < TARGET_MS[name] and r["failures"] == 0
                        for name, r in results.items()},
    }
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "web.json").write_text(json.dumps(report, indent=2))
    print(f"{'scenario':<12}{'users':>6}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'fail':>6}")
    for name, r in results.items():
        print(f"{name:<12}{r['users']:>6}{r['rps']:>9}{r['p50_ms']:>8}{r['p95_ms']:>8}"
              f"{r['p99_ms']:>8}{r['failures']:>6}")
    for name, met in report["targets_met"].items():
        print(f"target {name} ({report['targets'][name]}): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
