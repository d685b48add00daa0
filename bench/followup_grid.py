#!/usr/bin/env python3
"""A grid of follow-ups at the guide's prompt: each first question, then each follow-up, and the topic (or
clarify / fallback / other) that the follow-up got. For comparing two builds of the guide line by line:

    python3 bench/followup_grid.py [BINARY] > grid.tsv

Columns: first question, follow-up, what the follow-up got. It only prints.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "release", "klonopin-guide")
home = tempfile.mkdtemp(prefix="kg-grid-")
topics = json.loads(subprocess.run([binary, "topics", "--json"], capture_output=True, text=True, check=True).stdout)
titles = {t["title"]: t["id"] for t in topics}
FIRST = ["why cant i sleep", "what does withdrawal feel like", "how do i cope with anxiety without klonopin",
         "why do i still have symptoms months after stopping", "is it safe to stop cold turkey",
         "what is a taper", "how fast should a taper go", "can withdrawal cause seizures",
         "my taper is making me feel awful", "how can my family help", "what is klonopin",
         "is klonopin bad for older people", "can i drink on klonopin"]
FOLLOW = ["how long does that last?", "is that normal?", "does that get better?", "what causes that?",
          "is it dangerous?", "will it go away?", "what about at night?", "what about seizures?",
          "how about alcohol?", "what can i do about that?", "is that permanent?", "what about my mom?",
          "and for older people?", "why does that happen?", "how common is that?"]


def run(lines):
    return subprocess.run([binary], input="\n".join(lines) + "\n", capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": home, "XDG_CACHE_HOME": home}).stdout


for first in FIRST:
    for follow in FOLLOW:
        out = run([first, follow])
        found = [titles[l.strip()] for l in out.splitlines() if l.strip() in titles]
        tail = out.split("Related topics")[1] if "Related topics" in out else out
        got = found[1] if len(found) > 1 else (
            "fallback" if "not sure I have an answer" in tail else "clarify" if "did you mean" in tail else "other")
        print(f"{first}\t{follow}\t{got}")
