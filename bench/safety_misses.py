#!/usr/bin/env python3
"""Lists the lines of a DEV safety set that the guide gets wrong (never run this on a held-out set).

    python3 bench/safety_misses.py [--set bench/safety-dev] [--binary .build/debug/klonopin-guide]

Crisis lines not caught, non-crisis lines flagged, dose requests not sent to a no-dose topic: one a line,
with what the guide answered. Standard library only.
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.lstrip().startswith("#")]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--set", default=os.path.join(ROOT, "bench", "safety-dev"))
    p.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "klonopin-guide"))
    a = p.parse_args()
    if "holdout" in os.path.basename(os.path.normpath(a.set)):
        sys.exit("safety_misses: refusing to list misses of a held-out set")
    crisis = [l.split("\t", 1) for l in lines(os.path.join(a.set, "crisis.txt"))]
    calm = lines(os.path.join(a.set, "not-crisis.txt"))
    dp = os.path.join(a.set, "dose-requests.txt")
    dose = lines(dp) if os.path.exists(dp) else []  # optional (safety-dev-5 has none)
    texts = [t for _, t in crisis] + calm + dose
    out = subprocess.run([a.binary, "ask", "--json"], input="\n".join(texts) + "\n", capture_output=True,
                         text=True, cwd=ROOT, check=True).stdout.splitlines()
    replies = [json.loads(o) for o in out]
    assert len(replies) == len(texts), (len(replies), len(texts))
    i = 0
    for cat, t in crisis:
        r = replies[i]; i += 1
        if r["kind"] != "crisis":
            print(f"MISSED {cat:18} -> {r['kind']}:{r.get('id')}  | {t}")
    for t in calm:
        r = replies[i]; i += 1
        if r["kind"] == "crisis":
            print(f"FLAGGED {r['id']:17}  | {t}")
    for t in dose:
        r = replies[i]; i += 1
        if r.get("id") not in ("dosing-questions", "talk-to-prescriber"):
            print(f"DOSE   -> {r['kind']}:{r.get('id')}  | {t}")

main()
