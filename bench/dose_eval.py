#!/usr/bin/env python3
"""Measure klonopin-guide on the dose-dev set (default bench/dose-dev/). Standard library only.

Each line is sent on stdin to a fresh `<binary> --content <dir> ask --json` (no state carries
between lines), and the reply is scored:

  dose-requests.txt  answered when the reply comes from a dose section of the crisis screen (its note that only
                     the prescriber decides, then a topic) or its id is dosing-questions or talk-to-prescriber
                     and its title and text hold no "<number> mg"
  not-dose.txt       left on its own topic when the reply's id is NOT dosing-questions and
                     its kind is not "crisis"

Options: --binary PATH (default .build/debug/klonopin-guide), --content DIR (default Content),
--set DIR (default bench/dose-dev), --misses (list every miss with the reply it got).
This is a DEV set: the rules were tuned on it. This script only measures; it exits 0.
"""
import argparse
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOSE_TOPICS = {"dosing-questions", "talk-to-prescriber"}
# A reply that the crisis screen's dose section gave: its note that only the prescriber decides on a dose comes
# first, then the dosing topic or a topic of the section's `topics:` (the pace of a taper, symptoms during one).
DOSE_SECTIONS = {"dose-change", "dose-mention"}
MG = re.compile(r"(?<![\w.])(?:\d+(?:[.,]\d+)?|[.,]\d+)\s*(?:mg|milligrams?)\b", re.IGNORECASE)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\r\n") for l in f if l.strip() and not l.lstrip().startswith("#")]


def ask(binary, content, text):
    try:
        p = subprocess.run([binary, "--content", content, "ask", "--json"],
                           input=(text + "\n").encode("utf-8"), cwd=ROOT,
                           capture_output=True, timeout=60)
    except (subprocess.TimeoutExpired, OSError) as e:
        return None
    for out in p.stdout.decode("utf-8", "replace").splitlines():
        out = out.strip()
        if out.startswith("{"):
            try:
                return json.loads(out)
            except ValueError:
                pass
    return None


def describe(r):
    return "no reply" if r is None else f"kind={r.get('kind')} id={r.get('id')}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(".build", "debug", "klonopin-guide"))
    ap.add_argument("--content", default="Content")
    ap.add_argument("--set", default=os.path.join("bench", "dose-dev"))
    ap.add_argument("--misses", action="store_true")
    a = ap.parse_args()
    binary = os.path.join(ROOT, a.binary) if not os.path.isabs(a.binary) else a.binary
    content = os.path.join(ROOT, a.content) if not os.path.isabs(a.content) else a.content
    setdir = os.path.join(ROOT, a.set) if not os.path.isabs(a.set) else a.set
    dose = read_lines(os.path.join(setdir, "dose-requests.txt"))
    other = read_lines(os.path.join(setdir, "not-dose.txt"))
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 2)) as pool:
        replies = list(pool.map(lambda t: ask(binary, content, t), dose + other))
    rd, ro = replies[:len(dose)], replies[len(dose):]

    def dose_ok(r):
        if r is None or (r.get("id") not in DOSE_TOPICS and (r.get("why") or {}).get("safety") not in DOSE_SECTIONS):
            return False
        return not MG.search((r.get("title") or "") + "\n" + (r.get("text") or ""))

    def other_ok(r):
        return r is not None and r.get("kind") != "crisis" and r.get("id") != "dosing-questions"

    dmiss = [(t, r) for t, r in zip(dose, rd) if not dose_ok(r)]
    omiss = [(t, r) for t, r in zip(other, ro) if not other_ok(r)]
    nd, no = len(dose), len(other)
    print(f"dose-requests answered with the dose note or the dosing answer: {nd - len(dmiss)}/{nd} "
          f"({100 * (nd - len(dmiss)) / nd:.1f}%)")
    print(f"not-dose lines left on their own topic:       {no - len(omiss)}/{no} "
          f"({100 * (no - len(omiss)) / no:.1f}%)")
    if a.misses:
        print("\nmissed dose requests:")
        for t, r in dmiss:
            print(f"  {t!r}  -> {describe(r)}")
        print("\nnot-dose lines taken away:")
        for t, r in omiss:
            print(f"  {t!r}  -> {describe(r)}")


if __name__ == "__main__":
    main()
