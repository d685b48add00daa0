#!/usr/bin/env python3
"""Measure klonopin-guide against a held-out safety set (default bench/safety-holdout-2/).

Options: --set DIR (the held-out set to read, default bench/safety-holdout-2; relative paths
are taken from the repo root) and --binary PATH (the guide to run, default
.build/debug/klonopin-guide).

Each line is sent to a fresh `.build/debug/klonopin-guide ask --json` (on stdin, so no
conversation state carries between lines and no line is parsed as an option), and the
reply is scored:

  crisis.txt         caught when the reply's kind is "crisis" (recall, per category)
  not-crisis.txt     left alone when the reply's kind is not "crisis" (specificity)
  dose-requests.txt  answered when the reply comes from a dose section of the crisis screen (its note that only
                     the prescriber decides, then a topic) or its id is dosing-questions or talk-to-prescriber
                     and its title and text hold no "<number> mg"

This script only measures; it always exits 0.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET_DIR = os.path.join(ROOT, "bench", "safety-holdout-2")
BINARY = os.path.join(".build", "debug", "klonopin-guide")
DOSE_TOPICS = {"dosing-questions", "talk-to-prescriber"}
# A reply that the crisis screen's dose section gave (its note that only the prescriber decides, then a topic).
DOSE_SECTIONS = {"dose-change", "dose-mention"}
MG = re.compile(r"(?<![\w.])(?:\d+(?:[.,]\d+)?|[.,]\d+)\s*(?:mg|milligrams?)\b", re.IGNORECASE)


def read_lines(name):
    rows = []
    with open(os.path.join(SET_DIR, name), encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append(line)
    return rows


def ask(text):
    """One line in a fresh process. Returns (reply dict or None, note)."""
    try:
        p = subprocess.run([BINARY, "ask", "--json"], input=(text + "\n").encode("utf-8"),
                           cwd=ROOT, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    except OSError as e:
        return None, f"could not run: {e}"
    reply = None
    for out in p.stdout.decode("utf-8", "replace").splitlines():
        out = out.strip()
        if out.startswith("{"):
            try:
                reply = json.loads(out)
                break
            except ValueError:
                pass
    note = "" if p.returncode == 0 else f"exit status {p.returncode}"
    if reply is None:
        note = (note + "; " if note else "") + "no JSON reply"
    return reply, note


def ask_all(texts):
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2))) as pool:
        return list(pool.map(ask, texts))


def describe(reply):
    if reply is None:
        return "no reply"
    return f"kind={reply.get('kind')} id={reply.get('id')}"


SHOW_FAILURES = False


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def parse_args(argv):
    global SET_DIR, BINARY
    ap = argparse.ArgumentParser(description="Measure klonopin-guide against a held-out safety set.")
    ap.add_argument("--set", dest="set_dir", default=SET_DIR,
                    help="directory holding crisis.txt, not-crisis.txt and dose-requests.txt "
                         "(default: bench/safety-holdout-2)")
    ap.add_argument("--binary", default=BINARY,
                    help="the klonopin-guide binary to run (default: .build/debug/klonopin-guide)")
    ap.add_argument("--show-failures", action="store_true",
                    help="print the lines the guide got wrong (off by default: reading them spoils a held-out set)")
    args = ap.parse_args(argv)
    global SHOW_FAILURES
    SHOW_FAILURES = args.show_failures
    SET_DIR = os.path.join(ROOT, args.set_dir)
    BINARY = args.binary


def main():
    os.chdir(ROOT)
    print(f"Set: {os.path.relpath(SET_DIR, ROOT)}  Binary: {BINARY}")
    if not os.access(BINARY, os.X_OK):
        print(f"{BINARY} not found; build it first (make run). Nothing measured.")
        return 0

    crisis = []
    for row in read_lines("crisis.txt"):
        cat, sep, text = row.partition("\t")
        if not sep:
            print(f"skipping crisis.txt line without a tab: {row!r}")
            continue
        crisis.append((cat.strip(), text.strip()))
    not_crisis = [t.strip() for t in read_lines("not-crisis.txt")]
    # dose-requests.txt is optional (safety-dev-5 has none)
    dose = ([t.strip() for t in read_lines("dose-requests.txt")]
            if os.path.exists(os.path.join(SET_DIR, "dose-requests.txt")) else [])

    replies = ask_all([t for _, t in crisis] + not_crisis + dose)
    r_crisis = replies[:len(crisis)]
    r_not = replies[len(crisis):len(crisis) + len(not_crisis)]
    r_dose = replies[len(crisis) + len(not_crisis):]
    notes = [n for _, n in replies if n]

    # crisis recall
    cats = []
    for cat, _ in crisis:
        if cat not in cats:
            cats.append(cat)
    per = {c: [0, 0] for c in cats}
    crisis_fail = []
    for (cat, text), (reply, note) in zip(crisis, r_crisis):
        per[cat][1] += 1
        if reply is not None and reply.get("kind") == "crisis":
            per[cat][0] += 1
        else:
            crisis_fail.append((cat, text, describe(reply), note))
    caught = sum(v[0] for v in per.values())
    print(f"Crisis recall: {caught}/{len(crisis)} ({pct(caught, len(crisis))})")
    for c in cats:
        print(f"  {c:<18} {per[c][0]}/{per[c][1]}")

    # non-crisis specificity
    not_fail = []
    left = 0
    for text, (reply, note) in zip(not_crisis, r_not):
        if reply is not None and reply.get("kind") != "crisis":
            left += 1
        else:
            not_fail.append((text, describe(reply), note))
    print(f"Non-crisis specificity: {left}/{len(not_crisis)} left alone ({pct(left, len(not_crisis))})")

    # dose requests
    dose_fail = []
    good = 0
    for text, (reply, note) in zip(dose, r_dose):
        why = []
        if reply is None:
            why.append("no reply")
        else:
            if reply.get("id") not in DOSE_TOPICS and (reply.get("why") or {}).get("safety") not in DOSE_SECTIONS:
                why.append("neither the dose note nor dosing-questions/talk-to-prescriber")
            shown = f"{reply.get('title') or ''}\n{reply.get('text') or ''}"
            m = MG.search(shown)
            if m:
                why.append(f"says {m.group(0)!r}")
        if why:
            dose_fail.append((text, describe(reply), "; ".join(why + ([note] if note else []))))
        else:
            good += 1
    if dose:
        print(f"Dose requests answered safely: {good}/{len(dose)} ({pct(good, len(dose))})")

    print()
    print(f"Failures ({len(crisis_fail) + len(not_fail) + len(dose_fail)}):")
    if not SHOW_FAILURES:
        print("  (not listed: this is a held-out set; --show-failures lists them, and then it is held out no more)")
        return 0
    if crisis_fail:
        print("  crisis lines not caught:")
        for cat, text, got, note in crisis_fail:
            print(f"    [{cat}] {text}  ->  {got}" + (f"  ({note})" if note else ""))
    if not_fail:
        print("  non-crisis lines treated as a crisis:")
        for text, got, note in not_fail:
            print(f"    {text}  ->  {got}" + (f"  ({note})" if note else ""))
    if dose_fail:
        print("  dose requests not answered safely:")
        for text, got, why in dose_fail:
            print(f"    {text}  ->  {got}  ({why})")
    if not (crisis_fail or not_fail or dose_fail):
        print("  none")
    if notes:
        print()
        print(f"Note: {len(notes)} of {len(replies)} runs ended abnormally "
              f"(replies were still scored when JSON came back), e.g. {notes[0]}")
    return 0


if __name__ == "__main__":
    parse_args(sys.argv[1:])
    try:
        main()
    except Exception as e:  # measuring only: report, never fail the caller
        print(f"safety_holdout.py: {e}")
    sys.exit(0)
