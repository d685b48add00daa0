#!/usr/bin/env python3
"""How fast klonopin-guide answers, and how it grows with the bundle (issue #4).

(a) The shipped bundle: N questions (default 10,000: dev + holdout cycled, with light random typos, case
    changes and extra words; fixed seed) go to ONE `ask --json` process, one at a time: write one line,
    read one reply line. Each round trip is timed. Also: the same questions streamed all at once (wall
    time less the load time, / N), and the round trip through `cat` (the pipe + Python floor).
(b) Generated bundles: a copy of Content/en plus generated topic files (valid format; words from
    /usr/share/dict/words with a Zipf-like spread, mixed with the shipped topics' own words) up to
    1,000, 2,500, 5,000 and 10,000 topics. For each: `check DIR` must exit 0; load time (`check DIR`,
    and `ask --json` with one question, end to end: median of 10) of a first start (stamps off: the
    whole bundle read, checked and indexed) and of a later start (from the compiled index the first
    clean start leaves beside its stamp); per-question round trip (1,000 questions, a later start);
    peak memory (/usr/bin/time %M of one question at each kind of start and of check, and VmHWM of the
    round-trip process after all its questions). Every run keeps its stamps in a private temporary
    cache folder (XDG_CACHE_HOME), never the user's.

    python3 bench/speed.py [--binary PATH] [--n 10000] [--sizes 1000,2500,5000,10000] [--json]

Targets (issue #4): < 0.2 ms a question (shipped), < 5 ms with 10,000 topics, load of 10,000 topics
< 1 s, memory < 50 MiB. It only measures: it exits 0 whatever the numbers (non-zero when a run fails).
"""
import argparse
import json
import math
import os
import random
import re
import select
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT = os.path.join(ROOT, "Content", "en")
DEFAULT_BINARY = os.path.join(".build", "release", "klonopin-guide")
REPLY_TIMEOUT = 30.0
SEED = 4
# Every run of the guide: stamps and compiled indexes in a private cache folder (set in main).
ENV = dict(os.environ)
FIRST_START = {"KLONOPIN_GUIDE_STAMPS": "off"}

# ------------------------------------------------------------------------------------------- questions

EXTRA_WORDS = ["pls", "idk", "like", "honestly", "so", "um", "really", "help", "again", "lol", "tbh",
               "right now", "??", "...", "!!", "anyone know", "my doc says", "at night"]
KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopoadfghjklkxcvbnmn")}


def read_questions():
    qs = []
    for name in ("dev", "holdout"):
        with open(os.path.join(ROOT, "bench", "questions", name + ".tsv"), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.strip() and not line.startswith("#") and "\t" in line:
                    qs.append(line.split("\t", 1)[1])
    return qs


def typo(word, rng):
    if len(word) < 3:
        return word
    i = rng.randrange(len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]          # swap
    if op == 1:
        return word[:i] + word[i + 1:]                                  # drop
    if op == 2:
        return word[:i] + word[i] + word[i:]                            # double
    return word[:i] + KEYBOARD.get(word[i], word[i]) + word[i + 1:]    # neighbour key


def perturb(q, rng):
    words = q.split()
    for i, w in enumerate(words):
        if rng.random() < 0.12:
            words[i] = typo(w, rng)
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(EXTRA_WORDS))
    q = " ".join(words)
    r = rng.random()
    if r < 0.1:
        q = q.upper()
    elif r < 0.2:
        q = q.capitalize()
    elif r < 0.25:
        q = "".join(c.upper() if rng.random() < 0.3 else c for c in q)
    return q


def question_stream(n, seed=SEED):
    base = read_questions()
    rng = random.Random(seed)
    return [perturb(base[i % len(base)], rng) for i in range(n)]


# ---------------------------------------------------------------------------------------- round trips

class Bug(Exception):
    pass


class Conversation:
    """One `ask --json` process fed one line at a time."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0, cwd=ROOT, env=ENV)
        self.fin = self.proc.stdin.fileno()
        self.fout = self.proc.stdout.fileno()
        self.buf = b""
        self.split_replies = 0

    def ask(self, line):
        data = (line + "\n").encode("utf-8")
        t0 = time.perf_counter_ns()
        os.write(self.fin, data)
        reads = 0
        while b"\n" not in self.buf:
            ready, _, _ = select.select([self.fout], [], [], REPLY_TIMEOUT)
            if not ready:
                raise Bug(f"no reply within {REPLY_TIMEOUT:.0f} s to {line!r} (missing flush or a hang)")
            chunk = os.read(self.fout, 1 << 20)
            if not chunk:
                raise Bug(f"the process ended (status {self.proc.poll()}) before replying to {line!r}")
            self.buf += chunk
            reads += 1
        t1 = time.perf_counter_ns()
        reply, _, self.buf = self.buf.partition(b"\n")
        if reads > 1:
            self.split_replies += 1
        return (t1 - t0) / 1e6, reply

    def peak_kib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None

    def close(self):
        self.proc.stdin.close()
        rest = self.proc.stdout.read()
        err = self.proc.stderr.read()
        status = self.proc.wait(timeout=60)
        return status, self.buf + rest, err


def round_trips(argv, questions, check_json=True):
    """Times each question; returns dict with per-question ms list, wall, peak memory, problems."""
    conv = Conversation(argv)
    problems = []
    try:
        conv.ask("how long does withdrawal last")          # warm-up: waits for the load
        times = []
        start = time.perf_counter_ns()
        for q in questions:
            ms, reply = conv.ask(q)
            times.append(ms)
            if check_json:
                try:
                    obj = json.loads(reply)
                    if obj.get("kind") not in ("answer", "clarify", "fallback", "crisis"):
                        problems.append(f"kind {obj.get('kind')!r} for {q!r}")
                except ValueError:
                    problems.append(f"not JSON for {q!r}: {reply[:100]!r}")
        wall = (time.perf_counter_ns() - start) / 1e6
        peak = conv.peak_kib()
    except Bug as e:
        conv.proc.kill()
        raise
    status, rest, err = conv.close()
    if status != 0:
        problems.append(f"exit status {status}")
    if rest.strip():
        problems.append(f"unexpected output after the last reply: {rest[:100]!r}")
    if err.strip():
        problems.append("stderr: " + err.decode("utf-8", "replace")[:200])
    if conv.split_replies:
        problems.append(f"{conv.split_replies} replies arrived in more than one read")
    return {"times": times, "wall_ms": wall, "peak_kib": peak, "problems": problems}


def streamed(argv, questions, load_ms):
    """All questions written at once; (wall ms - load ms) / N."""
    data = ("\n".join(questions) + "\n").encode("utf-8")
    t0 = time.perf_counter_ns()
    p = subprocess.run(argv, input=data, capture_output=True, cwd=ROOT, timeout=600)
    wall = (time.perf_counter_ns() - t0) / 1e6
    lines = p.stdout.decode("utf-8", "replace").count("\n")
    problems = [] if lines == len(questions) else [f"streamed: {lines} replies for {len(questions)} lines"]
    if p.returncode != 0:
        problems.append(f"streamed: exit status {p.returncode}")
    return {"wall_ms": wall, "per_question_ms": (wall - load_ms) / len(questions), "problems": problems}


def stats(times):
    s = sorted(times)
    q = lambda p: s[min(len(s) - 1, max(0, math.ceil(p * len(s)) - 1))]
    return {"n": len(s), "median": statistics.median(s), "p90": q(0.90), "p99": q(0.99), "max": s[-1]}


def timed_runs(argv, repeats, stdin=b"", env=None):
    """Median wall ms of `repeats` runs (after one warm-up), and the exit status of the last."""
    walls, status = [], None
    env = {**ENV, **(env or {})}
    subprocess.run(argv, input=stdin, capture_output=True, cwd=ROOT, env=env)
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        p = subprocess.run(argv, input=stdin, capture_output=True, cwd=ROOT, env=env)
        walls.append((time.perf_counter_ns() - t0) / 1e6)
        status = p.returncode
    return statistics.median(walls), status, p


def max_rss_kib(argv, stdin=b"", env=None):
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, input=stdin, capture_output=True, cwd=ROOT,
                       env={**ENV, **(env or {})})
    try:
        return int(p.stderr.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def starts(argv, repeats, stdin, problems, what):
    """Load time and peak memory of one question at a first start (stamps off) and at a later start (from the
    compiled index that a first clean start leaves)."""
    first_ms, _, _ = timed_runs(argv, repeats, stdin, env=FIRST_START)
    first_kib = max_rss_kib(argv, stdin, env=FIRST_START)
    subprocess.run(argv, input=stdin, capture_output=True, cwd=ROOT, env=ENV)  # leaves the stamp and index
    folder = os.path.join(ENV["XDG_CACHE_HOME"], "klonopin-guide")
    indexes = [n for n in os.listdir(folder) if n.endswith(".index")] if os.path.isdir(folder) else []
    if not indexes:
        problems.append(f"{what}: no compiled index was written (files changed in the last seconds?)")
    later_ms, _, _ = timed_runs(argv, repeats, stdin)
    later_kib = max_rss_kib(argv, stdin)
    return {"load_first_ms": first_ms, "peak_kib_first": first_kib, "load_later_ms": later_ms,
            "peak_kib_later": later_kib}


def wait_until_settled(directory):
    """A stamp is left only for files unchanged for two seconds: wait until the newest is three old."""
    newest = 0.0
    for folder, _, names in os.walk(directory):
        for name in names + ["."]:
            st = os.lstat(os.path.join(folder, name))
            newest = max(newest, st.st_mtime, st.st_ctime)
    wait = newest + 3 - time.time()
    if wait > 0:
        time.sleep(wait)


# ----------------------------------------------------------------------------------- generated bundles

def shipped_words(content):
    words = []
    for name in sorted(os.listdir(os.path.join(content, "topics"))):
        with open(os.path.join(content, "topics", name), encoding="utf-8") as f:
            words += re.findall(r"[a-z]{3,}", f.read().lower())
    return words


def dictionary_words(rng):
    path = "/usr/share/dict/words"
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            words = sorted({w.strip() for w in f if re.fullmatch(r"[a-z]{3,12}", w.strip())})
    else:   # generated syllables
        syll = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["ar", "en", "is", "on", "ul"]
        words = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(60000)})
    rng.shuffle(words)
    return words


class TopicGenerator:
    def __init__(self, content=CONTENT, seed=SEED):
        rng = random.Random(seed)
        self.content = content
        self.vocab = dictionary_words(rng)
        # Zipf-like weights over a shuffled dictionary: a few words are common, most are rare.
        self.cum = list(_accumulate(1.0 / (r + 10) for r in range(len(self.vocab))))
        self.shipped = shipped_words(content)
        self.sources = _section_names(os.path.join(content, "sources.txt"))
        self.resources = _section_names(os.path.join(content, "resources.txt"))
        self.shipped_ids = sorted(n[:-4] for n in os.listdir(os.path.join(content, "topics")))

    def words(self, rng, n, shipped_share=0.15):
        out = rng.choices(self.vocab, cum_weights=self.cum, k=n)
        for i in range(n):
            if rng.random() < shipped_share:
                out[i] = rng.choice(self.shipped)
        return out

    def topic_id(self, index):
        return f"gen-{index:05d}-{random.Random(f'id-{index}').choice(self.vocab)}"

    def topic(self, index):
        rng = random.Random(f"{SEED}-{index}")
        w = lambda n: " ".join(self.words(rng, n))
        tid = self.topic_id(index)
        lines = [f"id: {tid}", f"title: How does {w(rng.randint(2, 5))} work?"]
        for _ in range(rng.randint(8, 11)):
            lines.append(f"ask: {w(rng.randint(3, 9))}")
        lines.append("sources: " + ", ".join(rng.sample(self.sources, rng.randint(1, 3))))
        lines.append("reviewed: 2026-11-27")
        see = rng.sample(self.shipped_ids, 1) + [self.topic_id(j) for j in
                                                 sorted({rng.randrange(index) for _ in range(2)} if index else ())]
        lines.append("see: " + ", ".join(see))
        if rng.random() < 0.5:
            lines.append("resources: " + ", ".join(rng.sample(self.resources, rng.randint(1, 2))))
        lines.append("")
        lines.append(w(rng.randint(20, 40)).capitalize() + ".")
        for _ in range(rng.randint(2, 3)):
            lines.append("")
            lines.append("# " + w(rng.randint(2, 5)).capitalize())
            lines.append("")
            for _ in range(rng.randint(3, 6)):
                lines.append("- " + w(rng.randint(6, 16)).capitalize() + ".")
            lines.append("")
            lines.append(w(rng.randint(25, 50)).capitalize() + ".")
        lines.append("")
        lines.append("**Get help now:** " + w(rng.randint(5, 10)) + ".")
        return tid, "\n".join(lines) + "\n"

    def bundle(self, directory, total):
        """Content/en copied into DIRECTORY, plus generated topics up to TOTAL topics."""
        shutil.copytree(self.content, directory)
        for i in range(total - len(self.shipped_ids)):
            tid, text = self.topic(i)
            with open(os.path.join(directory, "topics", tid + ".txt"), "w", encoding="utf-8") as f:
                f.write(text)


def _accumulate(xs):
    total = 0.0
    for x in xs:
        total += x
        yield total


def _section_names(path):
    with open(path, encoding="utf-8") as f:
        return [l[3:].strip() for l in f if l.startswith("== ")]


# ------------------------------------------------------------------------------------------------ main

def fmt_ms(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--bundle", default=CONTENT,
                    help="the shipped bundle (a folder holding bundle.txt), also the base of the generated ones "
                         "(default: Content/en)")
    ap.add_argument("--n", type=int, default=10000, help="questions for the shipped bundle (%(default)s)")
    ap.add_argument("--sizes", default="1000,2500,5000,10000", help="generated bundle sizes, in topics")
    ap.add_argument("--per-size", type=int, default=1000, help="questions per generated bundle (%(default)s)")
    ap.add_argument("--repeats", type=int, default=10, help="runs for each load-time median (%(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the generated bundles (their folder is printed)")
    ap.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = ap.parse_args()

    binary = args.binary if os.path.isabs(args.binary) else os.path.join(ROOT, args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"speed: no executable at {binary} (build it first: make bench-speed)")
    command = "python3 bench/speed.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    say = (lambda *a: None) if args.json else (lambda *a: print(*a, flush=True))
    say(f"command: {command}")
    say(f"binary:  {os.path.relpath(binary, ROOT)} (commit {commit}); {os.cpu_count()} cores; "
        f"load average at start {os.getloadavg()[0]:.2f} (other work on the machine slows every figure)")
    report = {"command": command, "commit": commit, "binary": os.path.relpath(binary, ROOT)}
    problems = []
    cache = tempfile.mkdtemp(prefix="kg-speed-cache-")
    ENV["XDG_CACHE_HOME"] = cache
    ENV.pop("KLONOPIN_GUIDE_STAMPS", None)
    try:
        run(args, binary, say, report, problems)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2))


def run(args, binary, say, report, problems):

    # (a) shipped bundle
    questions = question_stream(args.n)
    one = b"how long does withdrawal last\n"
    bundle = os.path.abspath(args.bundle)
    ask_argv = [binary, "--content", bundle, "ask", "--json"]
    check_argv = [binary, "--content", bundle, "check", bundle]
    load_check, status, p = timed_runs(check_argv, args.repeats)
    if status != 0:
        sys.exit(f"speed: check {bundle} exited {status}:\n{(p.stdout + p.stderr).decode('utf-8', 'replace')[:2000]}")
    wait_until_settled(bundle)
    start = starts(ask_argv, args.repeats, one, problems, "shipped bundle")
    load_ask = start["load_later_ms"]
    rt = round_trips(ask_argv, questions)
    floor = round_trips(["cat"], questions[:2000], check_json=False)
    st = streamed(ask_argv, questions, load_ask)
    problems += rt["problems"] + st["problems"]
    s = stats(rt["times"])
    shipped = {"topics": len(os.listdir(os.path.join(bundle, "topics"))), "questions": len(questions), "round_trip_ms": s,
               "wall_per_question_ms": rt["wall_ms"] / len(questions),
               "streamed_per_question_ms": st["per_question_ms"],
               "cat_round_trip_median_ms": stats(floor["times"])["median"],
               "load_check_ms": load_check, **start,
               "peak_kib_ask": rt["peak_kib"], "peak_kib_check": max_rss_kib(check_argv)}
    report["shipped"] = shipped
    say(f"\n(a) shipped bundle, {len(questions)} questions to one `ask --json` (round trip a question, ms):")
    say(f"    median {fmt_ms(s['median'])}  p90 {fmt_ms(s['p90'])}  p99 {fmt_ms(s['p99'])}  "
        f"max {fmt_ms(s['max'])}   wall/N {fmt_ms(shipped['wall_per_question_ms'])}")
    say(f"    streamed all at once: (wall - load) / N = {fmt_ms(st['per_question_ms'])} ms;  "
        f"pipe + Python floor (round trip through cat): median {fmt_ms(shipped['cat_round_trip_median_ms'])} ms")
    say(f"    load, ask --json one question (median of {args.repeats}): first start {fmt_ms(start['load_first_ms'])} ms, "
        f"later start {fmt_ms(start['load_later_ms'])} ms; check {fmt_ms(load_check)} ms")
    say(f"    peak memory: one question {start['peak_kib_first']} KiB (first start), {start['peak_kib_later']} KiB "
        f"(later); after all questions {shipped['peak_kib_ask']} KiB; check {shipped['peak_kib_check']} KiB")

    # (b) generated bundles
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    gen = TopicGenerator(bundle)
    tmp = tempfile.mkdtemp(prefix="kg-speed-")
    rows = []
    try:
        for size in sizes:
            directory = os.path.join(tmp, f"en-{size}")
            t0 = time.perf_counter()
            gen.bundle(directory, size)
            made = time.perf_counter() - t0
            nbytes = sum(os.path.getsize(os.path.join(directory, "topics", f))
                         for f in os.listdir(os.path.join(directory, "topics")))
            check_argv = [binary, "--content", directory, "check", directory]
            load_check, status, p = timed_runs(check_argv, args.repeats)
            if status != 0:
                out = (p.stdout + p.stderr).decode("utf-8", "replace")
                sys.exit(f"speed: check of the generated bundle ({size} topics) exited {status}:\n{out[:2000]}")
            warnings = (p.stdout + p.stderr).decode("utf-8", "replace").count("warning:")
            argv = [binary, "--content", directory, "ask", "--json"]
            wait_until_settled(directory)
            start = starts(argv, args.repeats, one, problems, f"{size} topics")
            rt = round_trips(argv, question_stream(args.per_size, seed=SEED + size))
            problems += [f"{size} topics: {x}" for x in rt["problems"]]
            s = stats(rt["times"])
            row = {"topics": size, "topic_bytes": nbytes, "check_warnings": warnings,
                   "load_check_ms": load_check, **start, "round_trip_ms": s,
                   "peak_kib_ask": rt["peak_kib"], "peak_kib_check": max_rss_kib(check_argv)}
            rows.append(row)
            say(f"    generated {size} topics ({nbytes / 1e6:.1f} MB of topic files) in {made:.1f} s; check exit 0"
                f" ({warnings} warnings)")
    finally:
        if args.keep:
            say(f"    bundles kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    report["generated"] = rows
    say(f"\n(b) generated bundles ({args.per_size} questions each, round trip; load = median of {args.repeats}):")
    head = ["topics", "median ms", "p90 ms", "p99 ms", "max ms", "check ms", "1st load", "later load",
            "1st MiB", "later MiB", "after MiB", "check MiB"]
    say("    " + "  ".join(h.rjust(10) for h in head))
    mib = lambda kib: f"{kib / 1024:.1f}" if kib else "-"
    for r in [shipped] + rows:
        s = r["round_trip_ms"]
        cells = [str(r["topics"]), fmt_ms(s["median"]), fmt_ms(s["p90"]), fmt_ms(s["p99"]), fmt_ms(s["max"]),
                 fmt_ms(r["load_check_ms"]), fmt_ms(r["load_first_ms"]), fmt_ms(r["load_later_ms"]),
                 mib(r["peak_kib_first"]), mib(r["peak_kib_later"]), mib(r["peak_kib_ask"]),
                 mib(r["peak_kib_check"])]
        say("    " + "  ".join(c.rjust(10) for c in cells))
    say("    (1st = a first start, stamps off: the whole bundle read, checked and indexed; later = a start from the\n"
        "    compiled index; load and MiB of one question; after = peak of the round-trip process after all its\n"
        "    questions, a later start: the index pages its questions read count in it)")
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        ratio = b["topics"] / a["topics"]
        growth = {}
        for key, get in (("question_median", lambda r: r["round_trip_ms"]["median"]),
                         ("load_check", lambda r: r["load_check_ms"]),
                         ("load_first_start", lambda r: r["load_first_ms"]),
                         ("load_later_start", lambda r: r["load_later_ms"])):
            x, y = get(a), get(b)
            growth[key] = math.log(y / x) / math.log(ratio) if x > 0 and y > 0 else None
        report["growth_exponent"] = growth
        say(f"\n    growth from {a['topics']} to {b['topics']} topics, as an exponent k in time ~ topics^k "
            "(1 = linear; the fixed cost of a process or a round trip pulls k below 1):")
        say("    " + ", ".join(f"{k} {v:.2f}" for k, v in growth.items() if v is not None))
    report["problems"] = problems
    report["load_average_at_end"] = os.getloadavg()[0]
    say(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    say("\nTargets (issue #4): < 0.2 ms a question (shipped), < 5 ms with 10,000 topics, "
        "load of 10,000 topics < 1 s, memory < 50 MiB.")
    if problems:
        say(f"problems ({len(problems)}):")
        for x in problems[:40]:
            say("  " + x)


if __name__ == "__main__":
    main()
