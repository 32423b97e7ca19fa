"""Run ``netral`` as a core install would: the named top-level modules cannot be found.

    python tests/cli/without_extras.py MOD1,MOD2,... [netral arguments...]

Every import finder is wrapped so that the blocked modules are absent for ``import`` and for
``importlib.util.find_spec`` alike (as when their distributions are not installed), which is
how the CLI tests check what a plain ``pip install netral`` can and cannot do.
"""

from __future__ import annotations

import sys

# the modules of the extras (web, images, spark, train) and of the old run-time model
EXTRAS = ("sklearn,scipy,pandas,joblib,sqlalchemy,alembic,psycopg,fastapi,starlette,uvicorn,"
          "argon2,itsdangerous,multipart,python_multipart,reportlab,openpyxl,httpx,cryptography,"
          "rfc3161_client,asn1crypto,cv2,pytesseract,imagehash,PIL,pyspark,pyarrow")


class _Without:
    def __init__(self, finder, blocked: set[str]) -> None:
        self.finder = finder
        self.blocked = blocked

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.blocked:
            return None
        find = getattr(self.finder, "find_spec", None)
        return find(name, path, target) if find else None

    def __getattr__(self, attr):
        return getattr(self.finder, attr)


def main() -> None:
    blocked = set((EXTRAS if sys.argv[1] == "extras" else sys.argv[1]).split(","))
    for name in list(sys.modules):
        if name.split(".")[0] in blocked:
            del sys.modules[name]
    sys.meta_path[:] = [_Without(f, blocked) for f in sys.meta_path]
    sys.argv = ["netral", *sys.argv[2:]]
    from netral.cli import main as netral_main

    netral_main()


if __name__ == "__main__":
    main()
