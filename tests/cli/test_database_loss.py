"""A database that cannot be reached ends a command with one line (exit 4), never a traceback
with SQL and its parameters, nor the password of its URL (issue 19)."""

from __future__ import annotations

import subprocess
import sys


def test_unreachable_database_is_one_line(tmp_path):
    src = tmp_path / "collected.jsonl"
    src.write_text('{"platform": "twitter", "handle": "budi", "id": "1", "text": "halo"}\n')
    # port 9 on loopback: nothing listens, the connection is refused at once
    url = "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=3"
    proc = subprocess.run([sys.executable, "-m", "netral.cli", "ingest", str(src), "--db", url,
                           "--no-scan", "--no-capture"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 4, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) <= 3 and "Traceback" not in proc.stderr, proc.stderr
    assert "Connection refused" in proc.stderr or "unreachable" in proc.stderr


def test_the_password_of_a_database_url_is_never_printed(tmp_path):
    url = "postgresql+psycopg://netral:rahasia-sekali@127.0.0.1:9/none?connect_timeout=3"
    for args in (["ingest", "/dev/null", "--db", url, "--no-scan"],
                 ["evidence", "check-store", "--db", url]):
        proc = subprocess.run([sys.executable, "-m", "netral.cli", *args], capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 4, proc.stderr
        assert "rahasia-sekali" not in proc.stderr + proc.stdout and "***" in proc.stderr
