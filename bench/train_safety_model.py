#!/usr/bin/env python3
"""Train the crisis screen's second look: Content/en/safety-model.txt (issue #5).

The screen's triggers catch the wordings someone wrote down; a line in words nobody foresaw slips past them. The
second look is a small logistic regression over the line's words and word pairs (crisis or not), and, for a line
it flags, a naive Bayes choice among the crisis sections. The guide uses it only when no trigger fired, and only
above a threshold chosen on lines it was not trained on.

Trained on DEV data only (never on bench/safety-holdout*/ or bench/questions/holdout*.tsv):
  crisis: bench/safety-dev*/crisis.txt, Tests/SafetySet/crisis.txt
  calm:   bench/safety-dev*/not-crisis.txt, Tests/SafetySet/not-crisis.txt and dose-requests.txt, the dev
          question sets bench/questions/dev*.tsv, the lines of bench/conversations/*.tsv not expected to be a
          crisis, and the bundle's example questions and titles (real questions about the subject),
          bench/dose-dev/*.txt
Small talk ("thank you very much") is not trained on: as calm lines, its words ("thank you", "for everything")
would hide farewells. The guide skips the second look for a line made only of phrases of a `calm: yes` reply.
The threshold: leave one safety dev set out at a time (and half of the questions), train on the rest, and take the
lowest threshold at which at most one calm line in 200 of what was left out is flagged (`pick_threshold`).

    python3 bench/train_safety_model.py [--check]     # --check: exit 1 if the file would change

Deterministic (fixed seed, sorted inputs): the same data gives the same file.
"""
import argparse
import collections
import glob
import math
import os
import random
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Content", "en", "safety-model.txt")
CATEGORIES = ["suicide", "overdose", "seizure", "severe-withdrawal", "someone-else"]
EPOCHS = 30
L2 = 1e-3
MIN_WEIGHT = 0.05
# A term must be in at least this many training lines: rarer ones only learn their own line.
MIN_LINES = 2


def words(text):
    """TextNormalizer.words, as near as Python gets: lower case, accents folded, apostrophes dropped, a letter
    typed three times or more counted twice, a decimal point kept inside a number."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = re.sub(r"['`\u2019\u2018]", "", text.lower())
    text = re.sub(r"(?<![0-9])\.(?=[0-9])", "0.", text)
    out = []
    for word in re.findall(r"[^\W_]+(?:\.[0-9]+)*", text):
        word = re.sub(r"([a-z])\1{2,}", r"\1\1", word)
        out.append(word)
    return out


def features(text):
    w = words(text)
    return sorted(set(w) | {a + " " + b for a, b in zip(w, w[1:])})


def read_crisis(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        category, _, text = line.partition("\t")
        category = "suicide" if category == "self-harm" else category
        if category in CATEGORIES:
            out.append((category, text))
    return out


def read_lines(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t", 1)[-1])
    return out


def load():
    """(sets of (category or 'calm', text) by name, question lines)."""
    sets = {}
    for folder in sorted(glob.glob(os.path.join(ROOT, "bench", "safety-dev*"))):
        name = os.path.basename(folder)
        rows = read_crisis(os.path.join(folder, "crisis.txt"))
        rows += [("calm", t) for t in read_lines(os.path.join(folder, "not-crisis.txt"))]
        dose = os.path.join(folder, "dose-requests.txt")
        if os.path.exists(dose):
            rows += [("calm", t) for t in read_lines(dose)]
        sets[name] = rows
    tests = os.path.join(ROOT, "Tests", "SafetySet")
    rows = read_crisis(os.path.join(tests, "crisis.txt"))
    rows += [("calm", t) for t in read_lines(os.path.join(tests, "not-crisis.txt"))]
    rows += [("calm", t) for t in read_lines(os.path.join(tests, "dose-requests.txt"))]
    for name in ("dose-requests.txt", "not-dose.txt"):
        rows += [("calm", t) for t in read_lines(os.path.join(ROOT, "bench", "dose-dev", name))]
    sets["tests"] = rows
    questions = []
    for path in sorted(glob.glob(os.path.join(ROOT, "bench", "questions", "dev*.tsv"))):
        questions += read_lines(path)
    # The lines of the conversation sets that are not crises: follow-ups and small talk people really type.
    for path in sorted(glob.glob(os.path.join(ROOT, "bench", "conversations", "*.tsv"))):
        for line in open(path, encoding="utf-8"):
            expected, tab, text = line.rstrip("\n").partition("\t")
            if tab and not expected.startswith("#") and "crisis" not in expected.split("|"):
                questions.append(text)
    questions += bundle_questions()
    return sets, questions


def bundle_questions():
    """The bundle's own example questions and titles: questions every topic must keep answering."""
    questions = []
    for path in sorted(glob.glob(os.path.join(ROOT, "Content", "en", "topics", "*.txt"))):
        # The fields, as the guide reads them: lines up to the first blank one, `//` lines skipped, "\n" or
        # "\r\n" endings; the first title and every non-empty ask.
        text = open(path, encoding="utf-8-sig", newline="").read()
        title = None
        for line in text.split("\n"):
            line = line[:-1] if line.endswith("\r") else line
            if not line.strip():
                break
            if line.startswith("//"):
                continue
            key, colon, value = line.partition(":")
            value = value.strip()
            if not colon or not value:
                continue
            if key == "title" and title is None:
                title = value
                questions.append(value)
            elif key == "ask":
                questions.append(value)
    return questions


def example_print(questions):
    """How many, and the sum (mod 2**64) of each one's FNV-1a 64-bit hash of its UTF-8 bytes: the guide computes the
    same over its topics' titles and example questions, and warns (K063) when they no longer match the model's."""
    total = 0
    for question in questions:
        h = 0xCBF29CE484222325
        for byte in question.encode("utf-8"):
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        total = (total + h) & 0xFFFFFFFFFFFFFFFF
    return f"{len(questions)} {total:016x}"


def train(rows, seed=1):
    """Logistic regression (crisis or not) by SGD with L2, and naive Bayes counts over the crisis sections."""
    rng = random.Random(seed)
    seen = collections.Counter(f for _, t in rows for f in features(t))
    data = [(0 if c == "calm" else 1, [f for f in features(t) if seen[f] >= MIN_LINES]) for c, t in rows]
    weights = collections.defaultdict(float)
    bias = 0.0
    for epoch in range(EPOCHS):
        rng.shuffle(data)
        rate = 0.5 / (1 + epoch)
        for y, fs in data:
            z = bias + sum(weights[f] for f in fs)
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            g = y - p
            bias += rate * g
            for f in fs:
                weights[f] += rate * g - rate * L2 * weights[f]
    counts = {c: collections.Counter() for c in CATEGORIES}
    lines = collections.Counter()
    for c, t in rows:
        if c in counts:
            lines[c] += 1
            counts[c].update(features(t))
    return {"weights": dict(weights), "bias": bias, "counts": counts, "lines": lines}


def score(model, text):
    return model["bias"] + sum(model["weights"].get(f, 0.0) for f in features(text))


def pick_threshold(sets, questions):
    """Leave one safety dev set out at a time (and half of the questions): the lowest threshold, in steps of 0.25,
    at which the models trained without them flag at most one calm line in 200 of what they did not see."""
    candidates = [x / 4 for x in range(0, 41)]
    flagged = collections.Counter()
    calm_total = 0
    for held in sorted(n for n in sets if n != "tests"):
        rows = [r for n, s in sets.items() if n != held for r in s] + [("calm", q) for q in questions[::2]]
        model = train(rows)
        calm = [t for c, t in sets[held] if c == "calm"] + questions[1::2]
        calm_total += len(calm)
        for t in calm:
            s = score(model, t)
            for th in candidates:
                if s > th:
                    flagged[th] += 1
    for th in candidates:
        if flagged[th] * 200 <= calm_total:
            return th, flagged[th], calm_total
    return candidates[-1], flagged[candidates[-1]], calm_total


def render(model, threshold):
    lines = [
        "// The crisis screen's second look, for lines no trigger catches. GENERATED by",
        "// bench/train_safety_model.py from the dev sets (never the held-out ones): do not edit by hand; run the",
        "// script again after changing the sets. Each term line: the term (a word, or two words), its weight toward",
        "// a crisis, then its log-likelihood in each section of `categories`.",
        f"threshold: {threshold:.2f}",
        f"bias: {model['bias']:.6f}",
        "categories: " + ", ".join(CATEGORIES),
    ]
    total = sum(model["lines"].values())
    priors = [math.log((model["lines"][c] + 1) / (total + len(CATEGORIES))) for c in CATEGORIES]
    lines.append("priors: " + " ".join(f"{p:.4f}" for p in priors))
    lines.append("examples: " + example_print(bundle_questions()))
    lines.append("")
    lines.append("== terms")
    vocabulary = set(model["weights"])
    for term in sorted(vocabulary):
        weight = model["weights"][term]
        if abs(weight) < MIN_WEIGHT:
            continue
        likelihoods = [math.log((model["counts"][c][term] + 0.5) / (model["lines"][c] + 1)) for c in CATEGORIES]
        lines.append(f"{term}\t{weight:.4f}\t" + " ".join(f"{x:.3f}" for x in likelihoods))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the file would change")
    args = ap.parse_args()
    sets, questions = load()
    threshold, flagged, calm_total = pick_threshold(sets, questions)
    rows = [r for s in sets.values() for r in s] + [("calm", q) for q in questions]
    model = train(rows)
    text = render(model, threshold)
    crisis = sum(1 for c, _ in rows if c != "calm")
    print(f"trained on {crisis} crisis and {len(rows) - crisis} calm lines; threshold {threshold:.2f} "
          f"(left-out calm lines flagged: {flagged} of {calm_total}); "
          f"{text.count(chr(10)) - 11} terms", file=sys.stderr)
    if args.check:
        current = open(OUT, encoding="utf-8").read() if os.path.exists(OUT) else ""
        sys.exit(0 if current == text else 1)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
