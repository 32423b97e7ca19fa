"""Shared fixtures of the corpus-tool tests."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


def commit_all(repo: Path) -> str:
    """``git init`` the folder, commit everything in it, return the commit."""
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "f"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return head.stdout.strip()


@pytest.fixture
def git_commit() -> Callable[[Path], str]:
    return commit_all


@pytest.fixture
def git_snapshot() -> Callable[[Path, str, list[str]], str]:
    """Make a real git snapshot at MIRROR/o+r/repo holding one CSV source file (``f.csv``, one
    text column), as collect.py reads sources, and return its commit."""

    def make(mirror: Path, column: str, texts: list[str]) -> str:
        repo = mirror / "o+r" / "repo"
        repo.mkdir(parents=True)
        with (repo / "f.csv").open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([column])
            w.writerows([t] for t in texts)
        return commit_all(repo)

    return make
