#!/usr/bin/env bash
# Renders the HTML handout of a whole education session in a real browser (headless Chromium, Debian's
# `chromium`), to a PNG and to a PDF, and checks that every word of the handout is on the printed page, in order.
#   bench/handout-render.sh            installs chromium and poppler-utils when missing (apt-get), then checks
#   OUT=/some/folder bench/handout-render.sh   keeps handout.html, handout.png and handout.pdf there
# Not part of `make test` (CI stays fast and installs only what it needs). Exits 0 when the text is all there,
# 1 when something is missing, 2 when a tool or a build fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift="${SWIFT:-swift}"
out="${OUT:-$(mktemp -d /tmp/kg-render-XXXXXX)}"
mkdir -p "$out"

# The browser and pdftotext, from Debian's packages, only when missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "Installing: ${missing[*]}"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq || exit 2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || exit 2
fi

echo "Building the guide..."
"$swift" build --product klonopin-guide >/dev/null || exit 2
guide="$("$swift" build --product klonopin-guide --show-bin-path 2>/dev/null)/klonopin-guide"

# The whole session of the transcript tests, typed into the real binary, with the example clinic overlay.
script="Tests/GuideTerminalTests/Transcripts/session/whole-session.txt"
rm -f "$out"/handout.html "$out"/handout.md "$out"/handout.txt
(cd "$out" && grep '^> ' "$root/$script" | cut -c3- \
    | "$guide" session --content "$root/Content" --local "$root/Tests/Fixtures/local" >"$out/session.out") || exit 2
for name in handout.html handout.txt; do
    [[ -s "$out/$name" ]] || { echo "handout-render: the session did not write $out/$name" >&2; exit 2; }
done

browser=(chromium --headless --no-sandbox --disable-gpu --disable-extensions --no-first-run
         --no-default-browser-check --hide-scrollbars --user-data-dir="$out/profile")
echo "Rendering with $(chromium --version 2>/dev/null | head -n 1)..."
"${browser[@]}" --window-size=1000,5000 --screenshot="$out/handout.png" "file://$out/handout.html" >/dev/null 2>&1 || exit 2
"${browser[@]}" --no-pdf-header-footer --print-to-pdf-no-header --print-to-pdf="$out/handout.pdf" \
    "file://$out/handout.html" >/dev/null 2>&1 || exit 2
[[ -s "$out/handout.png" && -s "$out/handout.pdf" ]] || { echo "handout-render: no PNG or PDF was made" >&2; exit 2; }
pdftotext -layout "$out/handout.pdf" "$out/handout.pdf.txt" || exit 2

# Every paragraph, bullet and heading of the plain-text handout (the same session's words) must be on the printed
# page, and in the same order. Words are compared, so line breaks and spacing do not matter.
python3 - "$out/handout.txt" "$out/handout.pdf.txt" "$out/handout.png" <<'PY'
import re, struct, sys

def words(text):
    return re.findall(r"[A-Za-z0-9]+", text)

plain = open(sys.argv[1], encoding="utf-8").read()
printed = " ".join(words(open(sys.argv[2], encoding="utf-8").read()))
pieces, current = [], []
for line in plain.splitlines() + [""]:
    stripped = line.strip()
    if re.fullmatch(r"[-=]+", stripped):
        continue  # the underline of a heading
    if stripped.startswith("- "):
        if current: pieces.append(" ".join(current))
        current = [stripped[2:]]
    elif stripped:
        current.append(stripped)
    else:
        if current: pieces.append(" ".join(current))
        current = []

missing, position = [], 0
for piece in pieces:
    needle = " ".join(words(piece))
    if not needle:
        continue
    found = printed.find(needle, position)
    if found < 0:
        missing.append(piece)
    else:
        position = found + len(needle)

with open(sys.argv[3], "rb") as png:
    header = png.read(24)
width, height = struct.unpack(">II", header[16:24])
print(f"{len(pieces)} paragraphs, bullets and headings; {len(pieces) - len(missing)} found on the printed page, in order")
print(f"screenshot {width}x{height}: {sys.argv[3]}")
for piece in missing:
    print(f"missing: {piece}")
sys.exit(1 if missing or header[:8] != b"\x89PNG\r\n\x1a\n" else 0)
PY
status=$?
echo "handout-render: files in $out"
exit $status
