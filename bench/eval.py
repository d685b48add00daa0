#!/usr/bin/env python3
"""Measure how well klonopin-guide finds the right topic for real questions (issue #4).

Every question of a set (every bench/questions/*.tsv: dev.tsv, dev2.tsv … and the held-out holdout.tsv, holdout2.tsv; `label<TAB>question`) is sent to ONE
`klonopin-guide ask --json` process on stdin; it answers one JSON object a line, in order. Per set:

  top-1      kind "answer" and id among the label's ids; for a `none` line, kind "fallback"
  top-3      a label id among id + candidates[:2] (answer) or candidates[:3] (clarify); `none`: as top-1
  clarify    share of all questions answered with kind "clarify" (and of the in-scope ones)
  fallback   precision and recall, the positive class being `none` (out of scope) and the prediction
             kind "fallback"
  crisis     replies of kind "crisis" (the set holds no crisis reports: this should be 0)

A baseline is measured in the same run: plain BM25 (rank-bm25's BM25Okapi, lower-case word tokens) over
each topic's title + text from `klonopin-guide topics --json`. Its fallback is "best score 0"; the best
threshold on dev is also found, and that same threshold is applied to the holdout set.

    python3 bench/eval.py [--set NAME|all] (NAME: a file of bench/questions without .tsv) [--misses] [--json] [--binary PATH] [--content DIR]

holdout and holdout2 are held out: --misses does not list their lines, nor does the near-copy check.

It only measures: it exits 0 whatever the numbers (non-zero when the binary cannot be run or a set is
malformed). rank-bm25 is installed into bench/.venv the first time (quietly), or with pip --user.
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUESTIONS = os.path.join(ROOT, "bench", "questions")
VENV = os.path.join(ROOT, "bench", ".venv")
DEFAULT_BINARY = os.path.join(".build", "release", "klonopin-guide")
KINDS = {"answer", "clarify", "fallback", "crisis"}
# Sets that are measured only: their misses and near-copies are never printed.
HELD_OUT = {"holdout", "holdout2"}
ANSI = re.compile("\x1b")


# ---------------------------------------------------------------------------------------------- rank-bm25

def ensure_rank_bm25():
    """Imports rank_bm25, installing it first when missing: into bench/.venv (re-running this script
    with the venv's python), else with `pip install --user`. Quiet and idempotent."""
    try:
        import rank_bm25  # noqa: F401
        return
    except ImportError:
        pass
    venv_python = os.path.join(VENV, "bin", "python")
    if os.environ.get("KG_EVAL_IN_VENV") != "1":
        try:
            if not os.path.exists(venv_python):
                subprocess.run([sys.executable, "-m", "venv", VENV], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            probe = subprocess.run([venv_python, "-c", "import rank_bm25"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if probe.returncode != 0:
                subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                "rank-bm25==0.2.2"], check=True, stdout=subprocess.DEVNULL)
            env = dict(os.environ, KG_EVAL_IN_VENV="1")
            os.execve(venv_python, [venv_python, os.path.abspath(__file__)] + sys.argv[1:], env)
        except (subprocess.CalledProcessError, OSError) as e:
            print(f"eval: could not set up {VENV} ({e}); trying pip install --user", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--user", "--disable-pip-version-check",
                    "rank-bm25==0.2.2"], check=True, stdout=subprocess.DEVNULL)
    import site
    import importlib
    sys.path.append(site.getusersitepackages())
    importlib.invalidate_caches()
    import rank_bm25  # noqa: F401


# ------------------------------------------------------------------------------------------------- sets

def read_set(name, topic_ids):
    """Returns [(labels frozenset, question)] of bench/questions/NAME.tsv; stops on a malformed line."""
    path = os.path.join(QUESTIONS, name + ".tsv")
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[1].strip():
                sys.exit(f"{path}:{number}: expected label<TAB>question")
            labels = frozenset(parts[0].strip().split("|"))
            unknown = sorted(l for l in labels if l != "none" and l not in topic_ids)
            if unknown or ("none" in labels and len(labels) > 1):
                sys.exit(f"{path}:{number}: bad label {parts[0]!r}")
            rows.append((labels, parts[1].strip()))
    return rows


def bundle_asks(content):
    """The bundle's example questions (ask: lines), read from its topic files."""
    root = content if content else os.path.join(ROOT, "Content")
    root = root if os.path.isabs(root) else os.path.join(ROOT, root)
    folder = root if os.path.exists(os.path.join(root, "bundle.txt")) else os.path.join(root, "en")
    asks = []
    topics_dir = os.path.join(folder, "topics")
    for name in sorted(os.listdir(topics_dir)) if os.path.isdir(topics_dir) else []:
        with open(os.path.join(topics_dir, name), encoding="utf-8") as f:
            asks += [line[4:].strip() for line in f if line.startswith("ask:")]
    return asks


def overlaps(rows, asks, limit=0.7):
    """Questions whose word set is within Jaccard LIMIT of an example question: the sets must stay apart."""
    words = lambda s: frozenset(re.findall(r"[a-z0-9]+", s.lower().replace("'", "")))
    ask_words = [(a, words(a)) for a in asks]
    found = []
    for _, q in rows:
        w = words(q)
        for a, aw in ask_words:
            if w and len(w & aw) / len(w | aw) >= limit:
                found.append((q, a))
                break
    return found


# ----------------------------------------------------------------------------------------------- binary

def run_binary(binary, content, args, stdin_text=None, timeout=300):
    cmd = [binary] + (["--content", content] if content else []) + args
    return subprocess.run(cmd, input=(stdin_text or "").encode("utf-8"), capture_output=True, cwd=ROOT,
                          timeout=timeout)


def ask_all(binary, content, questions, problems):
    """Sends every question to one `ask --json` process; returns one reply dict (or None) a question."""
    p = run_binary(binary, content, ["ask", "--json"], "\n".join(questions) + "\n")
    if p.returncode != 0:
        problems.append(f"ask --json exited with status {p.returncode}")
    if p.stderr.strip():
        problems.append("ask --json wrote to stderr: " + p.stderr.decode("utf-8", "replace").strip()[:300])
    out = p.stdout.decode("utf-8", "replace")
    if ANSI.search(out):
        problems.append("ask --json output holds an ANSI escape")
    lines = out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        problems.append("ask --json output does not end with a newline")
    if len(lines) != len(questions):
        problems.append(f"ask --json wrote {len(lines)} lines for {len(questions)} questions")
    replies = []
    for i, q in enumerate(questions):
        if i >= len(lines):
            replies.append(None)
            continue
        try:
            r = json.loads(lines[i])
        except ValueError:
            problems.append(f"line {i + 1} is not JSON: {lines[i][:120]!r} (question {q!r})")
            replies.append(None)
            continue
        bad = check_reply(r)
        if bad:
            problems.append(f"reply to {q!r}: {bad}")
        replies.append(r)
    return replies


def check_reply(r):
    """The contract's shape of one reply; returns what is wrong, or ''."""
    if not isinstance(r, dict):
        return "not an object"
    kind = r.get("kind")
    if kind not in KINDS:
        return f"kind {kind!r}"
    if not isinstance(r.get("candidates"), list):
        return "candidates is not a list"
    if not isinstance(r.get("text"), str) or not r["text"]:
        return "no text"
    if kind == "answer" and not (isinstance(r.get("id"), str) and isinstance(r.get("title"), str)):
        return "answer without id or title"
    if kind == "clarify" and (r.get("id") is not None or len(r["candidates"]) < 2):
        return "clarify with an id or fewer than two candidates"
    if kind == "answer" and r["id"] in r["candidates"]:
        return "the answer's id is also among its candidates"
    return ""


def topics(binary, content):
    p = run_binary(binary, content, ["topics", "--json"])
    if p.returncode != 0:
        sys.exit(f"eval: topics --json failed ({p.returncode}): {p.stderr.decode('utf-8', 'replace')[:300]}")
    return json.loads(p.stdout)


# --------------------------------------------------------------------------------------------- scoring

def shown(reply):
    """(kind, [topic ids shown best first]) of a guide reply."""
    if reply is None:
        return "none", []
    kind = reply.get("kind")
    cands = [c for c in reply.get("candidates") or [] if isinstance(c, str)]
    if kind == "answer":
        return kind, [reply.get("id")] + cands[:2]
    if kind == "clarify":
        return kind, cands[:3]
    return kind, []


def describe(kind, ids):
    if kind == "answer":
        return ids[0] + (" (+" + ",".join(ids[1:]) + ")" if ids[1:] else "")
    if kind == "clarify":
        return "clarify[" + ",".join(ids) + "]"
    return kind


def score(rows, predictions):
    """predictions: [(kind, ids)] a row. Returns the summary dict and the misses."""
    n = len(rows)
    top1 = top3 = clarify = clarify_in = crisis = 0
    fb_pred = fb_true = fb_hit = 0
    in_scope = sum(1 for labels, _ in rows if "none" not in labels)
    misses = []
    for (labels, q), (kind, ids) in zip(rows, predictions):
        none = "none" in labels
        fallback = kind == "fallback"
        if kind == "clarify":
            clarify += 1
            clarify_in += 0 if none else 1
        if kind == "crisis":
            crisis += 1
        fb_pred += fallback
        fb_true += none
        fb_hit += fallback and none
        if none:
            ok1 = ok3 = fallback
        else:
            ok1 = kind == "answer" and ids[0] in labels
            ok3 = kind in ("answer", "clarify") and bool(labels & set(ids[:3]))
        top1 += ok1
        top3 += ok3
        if not ok1:
            misses.append({"label": "|".join(sorted(labels)), "got": describe(kind, ids), "question": q,
                           "top3": bool(ok3)})
    pct = lambda a, b: round(100.0 * a / b, 1) if b else None
    summary = {
        "questions": n, "in_scope": in_scope, "out_of_scope": n - in_scope,
        "top1": pct(top1, n), "top3": pct(top3, n),
        "top1_in_scope": pct(top1 - fb_hit, in_scope),
        "clarify": pct(clarify, n), "clarify_in_scope": pct(clarify_in, in_scope),
        "fallback_precision": pct(fb_hit, fb_pred), "fallback_recall": pct(fb_hit, fb_true),
        "fallbacks": fb_pred, "crisis": crisis,
    }
    return summary, misses


class BM25Baseline:
    def __init__(self, topic_list):
        from rank_bm25 import BM25Okapi
        self.ids = [t["id"] for t in topic_list]
        self.bm25 = BM25Okapi([self.tokens(t["title"] + " " + t["text"]) for t in topic_list])

    @staticmethod
    def tokens(text):
        return re.findall(r"\w+", text.lower())

    def rank(self, question):
        """(best score, [ids best first]); ties keep the bundle's order."""
        scores = self.bm25.get_scores(self.tokens(question))
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], i))
        return float(scores[order[0]]), [self.ids[i] for i in order]

    @staticmethod
    def predict(ranked, threshold):
        """A fallback when the best score is <= threshold (threshold 0: no query word in any topic)."""
        best, ids = ranked
        return ("fallback", []) if best <= threshold else ("answer", ids[:3])


def best_threshold(rows, ranked):
    """The fallback threshold that gives the highest top-1 on these rows (ties: the lowest)."""
    candidates = sorted({0.0} | {r[0] for r in ranked})
    best = (-1, 0.0)
    for t in candidates:
        preds = [BM25Baseline.predict(r, t) for r in ranked]
        ok = sum(("none" in labels and k == "fallback") or ("none" not in labels and k == "answer"
                                                              and ids[0] in labels)
                 for (labels, _), (k, ids) in zip(rows, preds))
        if ok > best[0]:
            best = (ok, t)
    return best[1]


# ------------------------------------------------------------------------------------------------ report

ROWS = [("top-1", "top1"), ("top-3", "top3"), ("top-1, in-scope only", "top1_in_scope"),
        ("clarify rate", "clarify"), ("clarify rate, in-scope", "clarify_in_scope"),
        ("fallback precision", "fallback_precision"), ("fallback recall", "fallback_recall"),
        ("fallbacks (count)", "fallbacks"), ("crisis (count, want 0)", "crisis")]


def fmt(v, key):
    if v is None:
        return "-"
    if key in ("fallbacks", "crisis"):
        return str(v)
    return f"{v:.1f}%"


def print_table(name, results, threshold):
    g, b0, bt = results["guide"], results["bm25"], results["bm25_tuned"]
    print(f"\n== {name}: {g['questions']} questions ({g['in_scope']} in scope, {g['out_of_scope']} none)")
    heads = ["", "guide", "BM25 (score 0 -> fallback)", f"BM25 (<= {threshold:.3f} -> fallback)*"]
    widths = [24, 10, 27, 30]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)))
    for label, key in ROWS:
        cells = [label, fmt(g[key], key), fmt(b0[key], key), fmt(bt[key], key)]
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)))


def set_names():
    """The sets of bench/questions: dev first (the baseline's threshold is tuned on it), the other dev sets in
    number order, then the held-out sets."""
    names = [os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, "bench", "questions", "*.tsv"))]

    def order(name):
        digits = "".join(c for c in name if c.isdigit())
        return (name.startswith("holdout"), name != "dev", int(digits or 0), name)
    return sorted(names, key=order)


SET_NAMES = set_names()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=DEFAULT_BINARY, help="the guide (default: %(default)s)")
    ap.add_argument("--content", help="a content bundle to pass as --content")
    ap.add_argument("--set", choices=SET_NAMES + ["all"], default="all")
    ap.add_argument("--misses", action="store_true", help="list every top-1 miss (label, got, question)")
    ap.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = ap.parse_args()
    ensure_rank_bm25()

    binary = args.binary if os.path.isabs(args.binary) else os.path.join(ROOT, args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"eval: no executable at {binary} (build it first: make eval)")
    command = "python3 bench/eval.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "Sources", "Content"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()

    topic_list = topics(binary, args.content)
    topic_ids = {t["id"] for t in topic_list}
    # dev is always read: the baseline's tuned threshold comes from it.
    sets = {"dev": read_set("dev", topic_ids)}
    for name in SET_NAMES[1:]:
        if args.set in (name, "all"):
            sets[name] = read_set(name, topic_ids)
    wanted = SET_NAMES if args.set == "all" else [args.set]

    baseline = BM25Baseline(topic_list)
    ranked = {name: [baseline.rank(q) for _, q in rows] for name, rows in sets.items()}
    threshold = best_threshold(sets["dev"], ranked["dev"])

    asks = bundle_asks(args.content)
    near = {name: overlaps(sets[name], asks) for name in wanted}
    problems = []
    report = {"command": command, "binary": os.path.relpath(binary, ROOT), "commit": commit,
              "uncommitted_changes_in_sources_or_content": bool(dirty), "topics": len(topic_list),
              "bm25_dev_threshold": threshold, "sets": {}, "binary_problems": problems,
              "near_copies_of_example_questions": {n: [list(x) for x in v] for n, v in near.items()}}
    for name in wanted:
        rows = sets[name]
        replies = ask_all(binary, args.content, [q for _, q in rows], problems)
        guide, guide_misses = score(rows, [shown(r) for r in replies])
        b0, b0_misses = score(rows, [BM25Baseline.predict(r, 0.0) for r in ranked[name]])
        bt, _ = score(rows, [BM25Baseline.predict(r, threshold) for r in ranked[name]])
        report["sets"][name] = {"guide": guide, "bm25": b0, "bm25_tuned": bt}
        if args.misses and name not in HELD_OUT:
            report["sets"][name]["guide_misses"] = guide_misses
            report["sets"][name]["bm25_misses"] = b0_misses

    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"command: {command}")
    print(f"binary:  {report['binary']} (commit {commit}"
          f"{'; the work tree has uncommitted changes in Sources/ or Content/, which the binary may hold' if dirty else ''}"
          f"); {len(topic_list)} topics")
    for name in wanted:
        print_table(name, report["sets"][name], threshold)
    print(f"\n* BM25's threshold is the one with the best top-1 on dev ({threshold:.3f}); it is tuned on dev, "
          "so its dev numbers are optimistic. The plain BM25 column uses 'best score 0 -> fallback'.")
    print("Targets (issue #4): top-1 >= 90%, top-3 >= 97%, fallback recall >= 90%.")
    for name in wanted:
        if near[name]:
            print(f"\n{name}: {len(near[name])} questions nearly repeat an example question of the bundle "
                  "(word overlap >= 70%); the sets must stay apart from the examples:")
            if name in HELD_OUT:
                print("  (not listed: a held-out set's lines are not shown)")
                continue
            for q, a in near[name]:
                print(f"  {q!r} ~ ask: {a!r}")
    if problems:
        print(f"\nbinary problems ({len(problems)}):")
        for p in problems[:50]:
            print("  " + p)
    if args.misses:
        for name in wanted:
            if name in HELD_OUT:
                print(f"\n== {name}: misses not listed (held out: measure only, never tune on it)")
                continue
            misses = report["sets"][name]["guide_misses"]
            print(f"\n== {name}: guide misses at top-1 ({len(misses)}; '*' = right topic in the top 3)")
            for m in misses:
                print(f"  {m['label']:<40} {m['got']:<58} {'*' if m['top3'] else ' '} {m['question']}")


if __name__ == "__main__":
    main()
