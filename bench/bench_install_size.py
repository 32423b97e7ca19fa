"""Disk taken by a core install of netral and by fuller ones, each with the locked versions,
against the install of before the split (same run), and what the core install can do.

    .venv/bin/python bench/bench_install_size.py [--keep DIR] [--baseline REV]

Installs (non-editable, from this checkout, ``-c constraints.txt``) ``netral`` (the core:
check, scan, audit, eval, pack) into a fresh virtualenv, which then runs ``netral check`` (the
verdict, wall time, peak RSS) and ``netral serve`` (which must name the missing extra in one
line); then adds ``[web]``, ``[images]`` and ``[spark]`` to it in turn. The baseline is
``pip install .`` of the code of before the split (the commit before ``constraints.txt`` was
added, taken out of git): one install with 32 exact pins. Sizes are site-packages less that of
an empty virtualenv (pip itself). Needs the package index or pip's cache; takes minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Ayo coblos nomor 2, lanjutkan! #PrabowoGibran"


def size_mb(path: Path) -> float:
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            p = Path(dirpath, f)
            if not p.is_symlink():
                total += p.stat().st_size
    return total / 1e6


def site_packages(env: Path) -> Path:
    return next((env / "lib").glob("python3*/site-packages"))


def make_env(env: Path, spec: str | None) -> float:
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    py = env / "bin" / "python"
    if spec:
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-c",
                        str(ROOT / "constraints.txt"), spec], check=True)
    return size_mb(site_packages(env))


def baseline_tree(rev: str | None, dest: Path) -> Path:
    """The source tree of the commit before the lock file was added (HEAD while it is not
    committed), taken out of git."""
    import io
    import tarfile

    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True,
                              check=True).stdout.strip()

    if rev is None:
        added = git("log", "--diff-filter=A", "--format=%H", "--", "constraints.txt").splitlines()
        rev = git("rev-parse", f"{added[-1]}^" if added else "HEAD")
    data = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def add_extras(env: Path, extras: str) -> float:
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "-c",
                    str(ROOT / "constraints.txt"), f"{ROOT}[{extras}]"], check=True)
    return size_mb(site_packages(env))


def probe(base: Path) -> tuple[bool, float, float, int, subprocess.CompletedProcess]:
    netral = base / "core" / "bin" / "netral"
    env = {**os.environ, "NETRAL_DATA_DIR": str(base / "data"),
           "NETRAL_CACHE_DIR": str(base / "cache")}
    env.pop("PYTHONPATH", None)
    subprocess.run([str(netral), "check", TEXT], env=env, capture_output=True)  # warm caches
    start = time.perf_counter()
    proc = subprocess.Popen([str(netral), "check", TEXT, "--json"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=base)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    out = proc.stdout.read().decode() if proc.stdout else ""
    serve = subprocess.run([str(netral), "serve"], env=env, capture_output=True, text=True)
    return ('"verdict": "kampanye"' in out, wall, usage.ru_maxrss / 1024,
            os.waitstatus_to_exitcode(status), serve)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="build the virtualenvs here and keep them")
    ap.add_argument("--baseline", help="git revision of the code before the split")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="netral-size-") as tmp_s:
        base = args.keep or Path(tmp_s)
        base.mkdir(parents=True, exist_ok=True)
        empty = make_env(base / "empty", None)
        old = make_env(base / "old", str(baseline_tree(args.baseline, base / "old-src"))) - empty
        sizes = {"core  netral": make_env(base / "core", str(ROOT)) - empty}
        verdict, wall, rss, code, serve = probe(base)
        for extras in ("web", "web,images", "web,images,spark"):
            sizes[f"      netral[{extras}]"] = add_extras(base / "core", extras) - empty
    print(f"site-packages beyond an empty virtualenv (Python {sys.version.split()[0]}):")
    print(f"  before the split: pip install .        {old:7.0f} MB")
    for name, mb in sizes.items():
        print(f"  {name:38s}{mb:7.0f} MB")
    print(f"core install: netral check -> {'kampanye' if verdict else 'FAILED'} in {wall:.0f} ms, "
          f"peak RSS {rss:.0f} MB (exit {code})")
    print(f"core install: netral serve -> exit {serve.returncode}: {serve.stderr.strip()}")
    return 0 if verdict and serve.returncode == 2 and "Traceback" not in serve.stderr else 1


if __name__ == "__main__":
    raise SystemExit(main())
