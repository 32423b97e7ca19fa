"""Benchmark of `netral audit` on a generated multi-platform export.

    python bench/bench_audit.py                 # 1 GB export (the issue's target)
    python bench/bench_audit.py --size-mb 50    # quick run
    python bench/bench_audit.py --parse-only    # parsers only, no detector

It writes a synthetic export of about ``--size-mb`` MB (one big Twitter ``tweets.js``, a
Facebook posts file, a Telegram ``result.json`` full export, a WhatsApp chat and a JSONL file,
each with varied Indonesian everyday and campaign texts), then measures, each in a fresh
process so peak RSS is its own:

* the audit (``run_audit``: discovery, parsing, detector, findings) — peak RSS, seconds,
  MB/s and items/s;
* the baseline: a plain ``json.load`` of every JSON file (``.js`` after stripping its
  ``window.YTD… =`` prefix) and a plain read of the text files — peak RSS, seconds, MB/s.

Target from the issue: peak RSS of the audit < 500 MB on the 1 GB export.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NEUTRAL = [
    "Selamat pagi rekan-rekan {p}, semangat bekerja hari ini",
    "Rapat koordinasi {o} berjalan lancar, terima kasih semua",
    "Pelayanan KTP elektronik dibuka Sabtu pukul 08.00 di kantor kecamatan {p}",
    "Macet parah di {p} pagi ini, hati-hati di jalan",
    "Resep sayur asem ala ibu, enak banget buat makan siang",
    "Jangan lupa datang ke TPS, gunakan hak pilihmu",
    "Info pemadaman listrik bergilir di {p} besok",
    "Workshop penyusunan laporan kinerja {o} sangat bermanfaat",
    "Selamat Hari Guru untuk semua guru hebat di {p}",
    "Hujan deras sore ini di {p}, jangan lupa bawa payung",
]
CAMPAIGN = [
    "Ayo coblos no. 2 tgl 14 Feb, biar Indonesia Maju! #PrabowoGibran2024",
    "Sat set, 03 menang total! #GanjarMahfud2024",
    "AMIN for president #AMIN #Perubahan",
    "Ojo lali nyoblos nomer loro yo lur",
]
PLACES = ["Semarang", "Tembalang", "Ungaran", "Salatiga", "Kendal", "Demak", "Solo", "Magelang"]
OFFICES = ["Dinas Pendidikan", "Bappeda", "Dinas Kesehatan", "BPKAD", "Kecamatan"]


def _text(r: random.Random, i: int) -> str:
    if r.random() < 0.02:
        return r.choice(CAMPAIGN)
    t = r.choice(NEUTRAL).format(p=r.choice(PLACES), o=r.choice(OFFICES))
    return f"{t} ({i % 997})" if r.random() < 0.5 else t


def _when(r: random.Random) -> datetime:
    return datetime(2018, 1, 1, tzinfo=UTC) + timedelta(seconds=r.randrange(7 * 365 * 86400))


def _write_json_array(path: Path, prefix: str, budget: int, make) -> int:
    """Stream a JSON array of records until ``budget`` bytes; returns records written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(prefix + "[\n")
        size = len(prefix) + 2
        while size < budget:
            rec = json.dumps(make(n), ensure_ascii=False)
            f.write(("," if n else "") + rec + "\n")
            size += len(rec.encode()) + 2
            n += 1
        f.write("]")
    return n


def generate(root: Path, size_mb: int, seed: int = 7) -> dict:
    r = random.Random(seed)
    total = size_mb * 1024 * 1024
    counts = {}

    def tweet(i):
        return {"tweet": {"id_str": str(10**18 + i), "created_at":
                          _when(r).strftime("%a %b %d %H:%M:%S +0000 %Y"),
                          "full_text": _text(r, i), "favorite_count": str(i % 50),
                          "entities": {"hashtags": [], "urls": [], "user_mentions": []},
                          "lang": "in", "source": "<a href=\"https://x.com\">Web App</a>"}}

    counts["twitter"] = _write_json_array(root / "twitter" / "data" / "tweets.js",
                                          "window.YTD.tweets.part0 = ", int(total * 0.4), tweet)

    def post(i):
        t = _text(r, i).encode("utf-8").decode("latin-1")  # Meta mojibake
        return {"timestamp": int(_when(r).timestamp()), "data": [{"post": t}],
                "title": "Budi memperbarui statusnya."}

    counts["facebook"] = _write_json_array(
        root / "facebook" / "your_facebook_activity" / "posts" / "your_posts_1.json", "",
        int(total * 0.2), post)

    tg = root / "telegram" / "result.json"
    tg.parent.mkdir(parents=True, exist_ok=True)
    with open(tg, "w", encoding="utf-8") as f:
        f.write('{"personal_information": {"user_id": 1, "first_name": "Budi"},\n'
                '"chats": {"list": [{"name": "Grup Kantor", "type": "private_group", "id": 9, '
                '"messages": [\n')
        size, i = 0, 0
        while size < total * 0.2:
            d = _when(r)
            rec = json.dumps({"id": i, "type": "message", "date": d.strftime("%Y-%m-%dT%H:%M:%S"),
                              "date_unixtime": str(int(d.timestamp())),
                              "from": "Budi" if i % 2 else "Andi",
                              "from_id": "user1" if i % 2 else "user2",
                              "text": _text(r, i), "text_entities": []}, ensure_ascii=False)
            f.write(("," if i else "") + rec + "\n")
            size += len(rec) + 2
            i += 1
        f.write("]}]}}")
    counts["telegram"] = i

    wa = root / "whatsapp" / "Chat WhatsApp dengan Budi Santoso.txt"
    wa.parent.mkdir(parents=True, exist_ok=True)
    with open(wa, "w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < total * 0.1:
            line = f"{_when(r):%d/%m/%y %H.%M} - {'Budi Santoso' if i % 2 else 'Rina'}: " \
                   f"{_text(r, i)}\n"
            f.write(line)
            size += len(line)
            i += 1
    counts["whatsapp"] = i

    jl = root / "generic" / "posts.jsonl"
    jl.parent.mkdir(parents=True, exist_ok=True)
    with open(jl, "w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < total * 0.1:
            line = json.dumps({"id": i, "text": _text(r, i),
                               "created_at": _when(r).isoformat()}, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line)
            i += 1
    counts["generic"] = i
    return counts


def _dir_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------- children


def child_audit(root: str, parse_only: bool) -> dict:
    from netral.audit import AuditOptions, run_audit

    detector = None
    if parse_only:
        from netral.detect.result import Result, Verdict

        class _Null:  # parsers only: every text judged neutral instantly
            pack_key = False  # never sent to worker processes

            def judge_many(self, requests, **kw):
                return [Result(verdict=Verdict.NETRAL, score=0.0, kind=r.kind, lang="id")
                        for r in requests]

        detector = _Null()
    t0 = time.perf_counter()
    rep = run_audit([root], AuditOptions(me=["Rina"]), detector=detector)
    dt = time.perf_counter() - t0
    try:  # stop the judging workers, so their peak RSS is counted (RUSAGE_CHILDREN)
        from netral.detect.judge import shutdown
    except ImportError:  # code older than the one judge()
        pass
    else:
        shutdown()
    return {"seconds": dt, "items": rep.scanned, "flagged": rep.flagged,
            "skipped": len(rep.skipped), "files": rep.files_read,
            "by_platform": {p: v["scanned"] for p, v in rep.by_platform().items()}}


def child_baseline(root: str) -> dict:
    t0 = time.perf_counter()
    n = 0
    for p in sorted(Path(root).rglob("*")):
        if not p.is_file():
            continue
        if p.suffix in (".json", ".js"):
            with open(p, encoding="utf-8") as f:
                data = f.read()
            if p.suffix == ".js":
                data = data[data.index("["):]
            doc = json.loads(data)
            n += len(doc) if isinstance(doc, list) else 1
            del doc, data
        else:
            with open(p, encoding="utf-8") as f:
                for _ in f:
                    n += 1
    return {"seconds": time.perf_counter() - t0, "items": n}


def run_child(mode: str, root: Path, parse_only: bool, src: Path | None = None) -> dict:
    """One measurement in a fresh process; ``src``: run that source tree of netral instead."""
    cmd = [sys.executable, __file__, "--child", mode, str(root)]
    if parse_only:
        cmd.append("--parse-only")
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{mode} child failed:\n{proc.stderr[-2000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["wall_seconds"] = wall
    return res


def idle_estimate(audit: dict, cores: int = 2) -> float:
    """Seconds on an idle machine with ``cores`` cores: the busiest process's CPU (this one
    reads the export and hands work on; the judging workers share the rest), never less than
    all the CPU spread over the cores. An estimate from CPU time, stated as such."""
    here, others = audit["cpu_s"], audit["workers_cpu_s"]
    return max(here, others / max(cores - 1, 1), (here + others) / cores)


def _extract(rev: str, dest: Path) -> Path:
    """The ``src`` tree of a git revision, for a before/after comparison in one run."""
    repo = Path(__file__).resolve().parents[1]
    out = dest / f"src-{rev}"
    if not out.exists():
        out.mkdir(parents=True)
        tar = subprocess.run(["git", "-C", str(repo), "archive", rev, "src"], check=True,
                             capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(out)], input=tar, check=True)
    return out / "src"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=1024, help="export size in MB (default 1024)")
    ap.add_argument("--dir", type=Path, default=None, help="where to write the export")
    ap.add_argument("--keep", action="store_true", help="keep the generated export")
    ap.add_argument("--parse-only", action="store_true", help="skip the detector")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--before", metavar="REV",
                    help="also audit with the code of this git revision (same run, same export)")
    ap.add_argument("--json-out", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "ROOT"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        mode, root = args.child
        res = child_audit(root, args.parse_only) if mode == "audit" else child_baseline(root)
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
            resource.RUSAGE_CHILDREN)
        # CPU seconds: on a shared machine wall time follows the load; the CPU of the reading
        # process and of the judging workers gives the time on an idle machine (below)
        res["cpu_s"] = me.ru_utime + me.ru_stime
        res["workers_cpu_s"] = kids.ru_utime + kids.ru_stime
        res["peak_rss_mb"] = me.ru_maxrss / 1024
        # the largest worker process (each judging worker holds its own detector)
        res["worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(res))
        return

    base = args.dir or Path(tempfile.mkdtemp(prefix="netral-bench-"))
    root = base / "export"
    t0 = time.perf_counter()
    marker = base / "export-generated.json"  # beside the export, not in it
    if args.keep and marker.exists() and json.loads(marker.read_text())["size_mb"] == args.size_mb:
        counts = json.loads(marker.read_text())["counts"]  # the same export as last time
    else:
        counts = generate(root, args.size_mb)
        marker.write_text(json.dumps({"size_mb": args.size_mb, "counts": counts}))
    size = _dir_bytes(root)
    print(f"export {size / 1e6:.0f} MB ready in {time.perf_counter() - t0:.1f}s: {counts}")
    try:
        mb = size / 1e6
        result = {"size_mb": round(mb, 1), "counts": counts, "parse_only": args.parse_only,
                  "loadavg_before": os.getloadavg()}
        runs = [("audit", None)]
        if args.before:
            runs.insert(0, (f"audit@{args.before}", _extract(args.before, base)))
        for name, src in runs:
            audit = run_child("audit", root, args.parse_only, src)
            print(f"{name}{' (parse only)' if args.parse_only else ''}: {audit['seconds']:.1f}s, "
                  f"{mb / audit['seconds']:.1f} MB/s, "
                  f"{audit['items'] / audit['seconds']:.0f} items/s, "
                  f"peak RSS {audit['peak_rss_mb']:.0f} MB (+ workers "
                  f"{audit['worker_peak_rss_mb']:.0f} MB each), items {audit['items']}, "
                  f"flagged {audit['flagged']}, skipped {audit['skipped']}, "
                  f"load {os.getloadavg()[0]:.1f}; CPU {audit['cpu_s']:.1f}s here + "
                  f"{audit['workers_cpu_s']:.1f}s in other processes, idle-machine estimate "
                  f"{idle_estimate(audit):.1f}s")
            result[name] = audit
        if not args.no_baseline:
            bl = run_child("baseline", root, False)
            print(f"baseline json.load: {bl['seconds']:.1f}s, {mb / bl['seconds']:.1f} MB/s, "
                  f"peak RSS {bl['peak_rss_mb']:.0f} MB")
            result["baseline"] = bl
            print(f"audit / baseline time: {audit['seconds'] / bl['seconds']:.1f}x; "
                  f"RSS: {audit['peak_rss_mb'] / bl['peak_rss_mb']:.2f}x")
        result["loadavg_after"] = os.getloadavg()
        print(json.dumps(result))
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(base if args.dir is None else root, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
