"""Installation (issue 15, problem 8): a small core, extras for the rest, ranges in pyproject,
one lock file that every install of the project uses, and a README whose paths exist."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
LOCK = ROOT / "constraints.txt"

# what `check`, `scan` and `audit` may not need: database, web, pictures, Spark, training
NOT_CORE = {"sqlalchemy", "alembic", "psycopg", "fastapi", "uvicorn", "httptools", "uvloop",
            "argon2-cffi", "itsdangerous", "python-multipart", "httpx", "cryptography",
            "rfc3161-client", "asn1crypto", "openpyxl", "reportlab", "pillow", "psutil",
            "pytesseract", "imagehash", "opencv-python-headless", "pyspark", "pyarrow",
            "pandas", "scikit-learn", "scipy", "joblib"}


def _name(req: Requirement) -> str:
    return re.sub(r"[-_.]+", "-", req.name).lower()


def _all_requirements() -> list[Requirement]:
    reqs = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in PROJECT["optional-dependencies"].values():
        reqs += [Requirement(r) for r in extra]
    return [r for r in reqs if _name(r) != "netral"]


def _locked() -> dict[str, str]:
    out = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            out[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return out


def test_core_is_small() -> None:
    core = {_name(Requirement(r)) for r in PROJECT["dependencies"]}
    assert not core & NOT_CORE, sorted(core & NOT_CORE)
    assert len(core) <= 14


def test_extras() -> None:
    extras = PROJECT["optional-dependencies"]
    assert {"web", "images", "spark", "train", "dev", "bench"} <= set(extras)
    names = {k: {_name(Requirement(r)) for r in v} for k, v in extras.items()}
    assert {"fastapi", "sqlalchemy", "uvicorn"} <= names["web"]
    assert {"pytesseract", "imagehash", "opencv-python-headless", "pillow"} <= names["images"]
    assert {"pyspark", "pyarrow"} <= names["spark"]
    assert "locust" in names["bench"]  # bench/bench_web.py
    assert "scikit-learn" in names["train"]


def test_ranges_not_pins() -> None:
    for req in _all_requirements():
        specs = list(req.specifier)
        assert specs, f"{req}: no version range"
        assert all(s.operator not in ("==", "===") for s in specs), f"{req} is pinned"


def test_lock_covers_every_requirement_within_its_range() -> None:
    locked = _locked()
    for req in _all_requirements():
        if req.marker is not None and not req.marker.evaluate():
            continue
        name = _name(req)
        assert name in locked, f"{name} is not in constraints.txt (run make lock)"
        assert req.specifier.contains(locked[name], prereleases=True), \
            f"{name}=={locked[name]} is outside {req.specifier} (run make lock)"


def test_every_install_uses_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK   := constraints.txt" in makefile
    installs = [ln for ln in makefile.splitlines() if "pip" in ln.lower() and " install " in ln
                and "--upgrade pip" not in ln]
    assert installs and all("-c $(LOCK)" in ln for ln in installs), installs
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    bench = makefile.split("\nbench:")[1].split("\n\n")[0]
    assert "$(BENCH_STAMP)" in bench and "bench/run_all.py" in bench
    # the one table runs every bench, the cold start and the audit included
    run_all = (ROOT / "bench" / "run_all.py").read_text(encoding="utf-8")
    assert all(f"bench_{b}.py" in run_all for b in ("cold_start", "audit", "detect", "ingest",
                                                     "spark", "web"))


def test_the_text_model_weights_ship_in_the_package() -> None:
    assert "*.npz" in PYPROJECT["tool"]["setuptools"]["package-data"]["*"]
    assert (ROOT / "src" / "netral" / "detect" / "data" / "model.npz").is_file()


# README tokens that are not files of the repository: runtime paths, outputs, URLs
NOT_REPO_PATHS = {
    ".venv/bin/netral",  # made by `make demo`
    "/", "/api/docs", "/dashboard", "/kursus", "/kursus/unit",  # web routes
    "OUTPUT/rejected/", "OUTPUT/summary/",  # what spark-scan writes
    "ci-artifacts/", "ci-artifacts/screenshots/",  # what the browser tests write
    "ringkasan.txt",  # inside an evidence bundle
    "dist/netral.zip",  # built by the user (docs/scale.md)
    "netral.toml",  # the user's own settings file (netral.config)
    # third parties' texts, rebuilt by tools/corpus/rebuild.py and never committed
    "corpus.jsonl", "data/corpus/corpus.jsonl", "data/corpus/real_train.jsonl",
    "data/corpus/everyday_train.jsonl",  # rebuilt by tools/corpus/everyday.py --write-train
}


def _repo_files() -> list[str]:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.splitlines()


def _readme_paths() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tokens = set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r"\]\(([^)#\s]+)\)", text))
    path_like = re.compile(r"(/|\.(md|py|csv|jsonl|json|ya?ml|txt|toml|tsv|npz|j2)$)")
    # URLs, options and paths in the user's home are not the repository's
    return {t for t in tokens if path_like.search(t) and "://" not in t
            and not t.startswith(("-", "~/"))}


def test_every_path_in_the_readme_exists() -> None:
    files = _repo_files()
    dirs = {str(Path(f).parent) + "/" for f in files} | {
        "/".join(f.split("/")[:i]) + "/" for f in files for i in range(1, f.count("/") + 1)}
    missing = []
    for token in sorted(_readme_paths() - NOT_REPO_PATHS):
        pattern = re.escape(token).replace(r"\*", "[^/]*").replace(re.escape("<name>"), "[^/]+")
        # a path from the root, or a shorter one that names a file or folder within src/ etc.
        rx = re.compile(rf"(^|/){pattern}$" if not token.endswith("/") else rf"(^|/){pattern}")
        if not any(rx.search(f) for f in files) and not any(rx.search(d) for d in dirs):
            missing.append(token)
    assert not missing, f"README names paths that are not in the repository: {missing}"
