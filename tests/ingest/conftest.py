"""Fixtures for ingestion tests: a migrated database with a small real roster, and a local
HTTP server for connector tests (no network)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from netral.store.base import make_sessionmaker
from netral.store.roster import import_roster

ROSTER = """NIP,nama,jabatan,kelas,unit,platform,akun
198501012010011001,Budi Santoso,Analis Kebijakan,PNS,Sekretariat/Bagian Umum,twitter,@budi
198501012010011001,Budi Santoso,Analis Kebijakan,PNS,Sekretariat/Bagian Umum,mastodon,budi@sosial.example
199002022019022002,Ani Lestari,Kepala Bidang,pejabat,Dinas Pendidikan,instagram,ani.l
199512312022212003,Citra Dewi,Perawat,PPPK,Dinas Kesehatan,rss,http://127.0.0.1/blog/citra
"""


def write_roster(tmp_path: Path, body: str = ROSTER, name: str = "roster.csv") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


@pytest.fixture
def roster_csv(tmp_path) -> Path:
    """The small test roster as a CSV file."""
    return write_roster(tmp_path)


@pytest.fixture
def roster_engine(db_engine, tmp_path):
    """A migrated database (SQLite and PostgreSQL) holding agency "uji" and its roster."""
    with make_sessionmaker(db_engine)() as session:
        report = import_roster(session, write_roster(tmp_path), agency_code="uji", create_units=True)
    assert report.applied, report.to_dict("en")
    return db_engine


@pytest.fixture(scope="session")
def detector():
    import netral

    return netral.get_detector()


class LocalServer:
    """Serves ``routes`` {path: (content_type, bytes)} on 127.0.0.1; records requests."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.requests: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append((self.path, self.headers.get("Accept", "")))
                route = outer.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                ctype, body = route
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_server():
    with LocalServer() as server:
        yield server
