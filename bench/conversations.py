#!/usr/bin/env python3
"""How the guide does in whole conversations at its prompt (issue #4: follow-ups, picks, small talk).

Each conversation of a set (bench/conversations/*.tsv: `expected<TAB>line`, one turn a line, a blank line between
conversations) is typed into the interactive guide through a pipe, one turn at a time, and what each turn shows is
sorted into one outcome:

    crisis     the first thing shown is a section of safety.txt that is an emergency (its title)
    clarify    "did you mean": ui.txt's `clarify` text
    <topic>    a topic's title is shown (a dose answer shows the dosing topic)
    list       a numbered list of topics (`topics`, or "tell me more")
    fallback   ui.txt's `fallback` or `fallback-other` text
    reply      anything else: small talk, help, "no list on screen"

A turn is right when its outcome is one of those its `expected` column lists; `any` is not scored. A turn's output
is what the guide wrote after the line before it: the guide is run with the first k lines for each k, and the
k-th turn is the run's output less the previous run's (its last message, the goodbye at end of input, taken off;
for the first turn, less the welcome).

    python3 bench/conversations.py [--binary PATH] [--set dev1|all] [--misses]

It only measures: it exits 0 whatever the figures (non-zero when the guide cannot be run).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT = os.path.join(ROOT, "Content", "en")
OUTCOMES = {"crisis", "clarify", "list", "fallback", "reply", "any"}


def sections(path):
    """The `== name` sections of a content file: name -> (fields, first body line)."""
    found, name, fields, body = {}, None, {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("== "):
                if name:
                    found[name] = (fields, body)
                name, fields, body = line[3:].strip(), {}, None
            elif name and body is None and re.match(r"^[a-z-]+: ", line) and not line.startswith("//"):
                key, value = line.split(": ", 1)
                fields.setdefault(key, value)
            elif name and body is None and line.strip() and not line.startswith("//"):
                body = line.strip()
    if name:
        found[name] = (fields, body)
    return found


def plain(text):
    """A line as the terminal shows it: markup's ** taken off, spaces squeezed."""
    return " ".join(text.replace("**", "").split())


class Guide:
    def __init__(self, binary, content):
        self.binary = binary
        topics = json.loads(subprocess.run([binary, "--content", content, "topics", "--json"], capture_output=True,
                                           text=True, check=True).stdout)
        self.titles = {t["title"]: t["id"] for t in topics}
        safety = sections(os.path.join(content, "safety.txt"))
        # The emergencies: every section with a title that does not answer with a topic (dose sections do).
        self.crisis_titles = {f["title"] for n, (f, _) in safety.items() if "title" in f and "answer" not in f}
        ui = sections(os.path.join(content, "ui.txt"))
        self.clarify = plain(ui["clarify"][1])[:40]
        self.fallbacks = [plain(ui[k][1])[:40] for k in ("fallback", "fallback-other") if k in ui]
        self.lists = [plain(ui[k][1])[:40] for k in ui if k == "topics" or ui[k][0].get("then") == "related"]
        self.home = tempfile.mkdtemp(prefix="kg-conversations-")
        self.content = content

    def run(self, lines):
        env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "XDG_CACHE_HOME": os.path.join(self.home, "cache"),
               "XDG_STATE_HOME": os.path.join(self.home, "state")}
        p = subprocess.run([self.binary, "--content", self.content], input="".join(l + "\n" for l in lines),
                           capture_output=True, text=True, env=env, timeout=60)
        return p.stdout

    @staticmethod
    def without_goodbye(out):
        """The output less its last message (the goodbye said at the end of input)."""
        body = out.rstrip("\n")
        cut = body.rfind("\n\n")
        return body[:cut + 2] if cut >= 0 else ""

    def outcome(self, text):
        lines = [plain(l) for l in text.splitlines() if l.strip()]
        joined = " ".join(lines)
        if lines and lines[0] in self.crisis_titles:
            return "crisis"
        if self.clarify in joined:
            return "clarify"
        for line in lines:
            if line in self.titles:
                return self.titles[line]
        if any(marker in joined for marker in self.lists):
            return "list"
        if any(marker in joined for marker in self.fallbacks):
            return "fallback"
        return "reply"

    def turns(self, lines):
        """Each turn's outcome."""
        # What the guide says before the first line (its welcome).
        results, before = [], self.without_goodbye(self.run([]))
        for k in range(1, len(lines) + 1):
            out = self.without_goodbye(self.run(lines[:k]))
            results.append(self.outcome(out[len(before):] if out.startswith(before) else out))
            before = out
        return results


def read_set(path):
    conversations, current = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if current:
                    conversations.append(current)
                current = []
                continue
            expected, _, typed = line.partition("\t")
            current.append((number, set(expected.split("|")), typed))
    if current:
        conversations.append(current)
    return conversations


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "klonopin-guide"))
    ap.add_argument("--content", default=CONTENT)
    ap.add_argument("--set", default="all", help="a set's name under bench/conversations (dev1), or all")
    ap.add_argument("--misses", action="store_true", help="print each turn that got an outcome not expected")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"conversations: no executable at {args.binary}")
    guide = Guide(args.binary, args.content)
    paths = sorted(glob.glob(os.path.join(ROOT, "bench", "conversations", "*.tsv")))
    if args.set != "all":
        paths = [p for p in paths if os.path.basename(p) == args.set + ".tsv"]
    for path in paths:
        conversations = read_set(path)
        scored = right = follow_scored = follow_right = whole = 0
        misses = []
        for conversation in conversations:
            outcomes = guide.turns([typed for _, _, typed in conversation])
            all_right = True
            for position, ((number, expected, typed), got) in enumerate(zip(conversation, outcomes)):
                unknown = expected - OUTCOMES - set(guide.titles.values())
                if unknown:
                    sys.exit(f"{path}:{number}: unknown outcome {', '.join(sorted(unknown))}")
                if "any" in expected:
                    continue
                scored += 1
                ok = got in expected
                right += ok
                if position > 0:
                    follow_scored += 1
                    follow_right += ok
                if not ok:
                    all_right = False
                    misses.append((number, "|".join(sorted(expected)), got, typed))
            whole += all_right
        name = os.path.basename(path)[:-4]
        print(f"== {name}: {len(conversations)} conversations, {scored} scored turns")
        print(f"turns right             {100 * right / max(scored, 1):5.1f}%  ({right}/{scored})")
        print(f"later turns right       {100 * follow_right / max(follow_scored, 1):5.1f}%  ({follow_right}/{follow_scored})")
        print(f"conversations all right {100 * whole / max(len(conversations), 1):5.1f}%  ({whole}/{len(conversations)})")
        if args.misses:
            for number, expected, got, typed in misses:
                print(f"  {number:4d}  {expected:40s} {got:24s} {typed}")


if __name__ == "__main__":
    main()
