#!/usr/bin/env python3
"""Time to the first prompt under a pseudo-terminal: the guide against a Swift hello-world.

Each run spawns the binary on a fresh pty (80x24, NO_COLOR=1, TERM=xterm, cwd = repo root), measures the wall
time from just before the spawn until the prompt text first appears on the terminal, then answers the prompt
("quit" for the guide, an empty line for hello) and reaps the process. Runs are interleaved (guide, cold, hello,
guide, cold, hello...) so machine noise falls on all alike. "guide" starts with its bundle stamp current (every
start after the first; the stamp lives in a private temporary XDG_CACHE_HOME written by the first warm-up run);
"cold" is the same binary with KLONOPIN_GUIDE_STAMPS=off (a first start: the whole bundle read and checked first). The pty is each program's stdin, stdout and stderr but not
its controlling terminal (it runs in a new session), which neither program needs. Standard library only.

Used by bench/startup.sh, which builds both binaries first; run it directly with --help for the options.
"""

import argparse
import fcntl
import math
import os
import select
import shlex
import statistics
import struct
import subprocess
import sys
import shutil
import tempfile
import termios
import time

# hello prints exactly this; the guide's first prompt is "pick a number, or ask> " (its welcome ends on the menu),
# which ends with the same text, so both are timed to the same bytes.
PROMPT = b"ask> "


class RunError(Exception):
    pass


def spawn_and_time(binary, answer, cwd, env, timeout):
    """One run: returns (milliseconds to the prompt, everything the program wrote)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    output = bytearray()
    process = None
    try:
        start = time.perf_counter_ns()
        process = subprocess.Popen([binary], stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env,
                                   start_new_session=True)
        os.close(slave)
        slave = -1
        deadline = time.monotonic() + timeout
        seen = -1
        while seen < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RunError(f"no prompt within {timeout}s")
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program closed the terminal
                chunk = b""
            if not chunk:
                raise RunError("the program ended before its prompt")
            searched = max(0, len(output) - len(PROMPT) + 1)
            output += chunk
            seen = output.find(PROMPT, searched)
        elapsed_ms = (time.perf_counter_ns() - start) / 1e6

        os.write(master, answer)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RunError(f"did not exit within {timeout}s of its answer")
            ready, _, _ = select.select([master], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        status = process.wait(timeout=timeout)
        process = None
        if status != 0:
            raise RunError(f"exit status {status}")
        return elapsed_ms, bytes(output)
    except RunError as error:
        raise RunError(f"{binary}: {error}; output so far:\n{bytes(output)!r}") from None
    finally:
        if process is not None:
            process.kill()
            process.wait()
        if slave >= 0:
            os.close(slave)
        os.close(master)


def percentile(samples, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def git(*args, cwd):
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guide", required=True, help="the guide binary (release build)")
    parser.add_argument("--hello", required=True, help="the hello-world binary (release build)")
    parser.add_argument("--cwd", default=os.getcwd(), help="working directory of both (the repo root)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--target", type=float, default=2.0, help="the largest passing ratio of medians")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--csv", help="write every sample here")
    parser.add_argument("--command", help="the command to print as the one that produced this report")
    options = parser.parse_args()

    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "TERM": "xterm"})
    env.pop("KLONOPIN_GUIDE_CONTENT", None)
    env.pop("KLONOPIN_GUIDE_STAMPS", None)
    # The guide keeps a stamp of a bundle it loaded clean (in $XDG_CACHE_HOME/klonopin-guide): a private, empty
    # cache folder here, so the first warm-up run writes it. "guide" is every start after the first (stamp
    # current); "cold" is the guide with stamps off: a first start, or the first after the bundle changed.
    cache = tempfile.mkdtemp(prefix="kg-startup-cache-")
    env["XDG_CACHE_HOME"] = cache
    cold_env = dict(env, KLONOPIN_GUIDE_STAMPS="off")
    subjects = [("guide", options.guide, b"quit\n", env), ("cold", options.guide, b"quit\n", cold_env),
                ("hello", options.hello, b"\n", env)]
    samples = {name: [] for name, _, _, _ in subjects}

    try:
        for _ in range(options.warmup):
            for name, binary, answer, subject_env in subjects:
                spawn_and_time(binary, answer, options.cwd, subject_env, options.timeout)
        for _ in range(options.runs):
            for name, binary, answer, subject_env in subjects:
                samples[name].append(spawn_and_time(binary, answer, options.cwd, subject_env, options.timeout)[0])
    except RunError as error:
        print(f"startup bench: a run failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    if options.csv:
        os.makedirs(os.path.dirname(options.csv) or ".", exist_ok=True)
        with open(options.csv, "w") as out:
            out.write("run,guide_ms,cold_ms,hello_ms\n")
            for index, (guide, cold, hello) in enumerate(zip(samples["guide"], samples["cold"], samples["hello"])):
                out.write(f"{index},{guide:.4f},{cold:.4f},{hello:.4f}\n")

    head = git("rev-parse", "--short", "HEAD", cwd=options.cwd)
    commit = head.stdout.strip() if head and head.returncode == 0 else "unknown"
    changed = git("diff", "--quiet", "HEAD", "--", "Sources", "Content", "Package.swift", cwd=options.cwd)
    if changed is not None and changed.returncode == 1:
        commit += " (with uncommitted changes to Sources/, Content/ or Package.swift)"

    rows = {}
    for name, _, _, _ in subjects:
        data = samples[name]
        rows[name] = (statistics.median(data), percentile(data, 0.90), min(data), max(data))
    ratio = rows["guide"][0] / rows["hello"][0]
    cold_ratio = rows["cold"][0] / rows["hello"][0]
    verdict = "PASS" if ratio <= options.target else "FAIL"

    print()
    print(f"Time to first prompt '{PROMPT.decode()}' under a pty (ms), {options.runs} interleaved runs each "
          f"after {options.warmup} warm-up runs each")
    print(f"  {'':6} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}")
    for name, binary, _, _ in subjects:
        median, p90, low, high = rows[name]
        print(f"  {name:6} {median:8.2f} {p90:8.2f} {low:8.2f} {high:8.2f}   {os.path.relpath(binary, options.cwd)}")
    print(f"  ratio of medians guide/hello: {ratio:.2f}x (target <= {options.target:g}x): {verdict}")
    print(f"  cold start (stamps off: a first start, or the first after the bundle changed): {cold_ratio:.2f}x")
    print(f"  commit:  {commit}")
    print(f"  command: {options.command or shlex.join(sys.argv)}")
    if options.csv:
        print(f"  samples: {os.path.relpath(options.csv, options.cwd)}")
    print(f"RESULT: {verdict} ({ratio:.2f}x, guide {rows['guide'][0]:.2f} ms vs hello {rows['hello'][0]:.2f} ms; "
          f"cold {cold_ratio:.2f}x, {rows['cold'][0]:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
