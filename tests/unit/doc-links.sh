#!/bin/bash
# doc-links.sh SOURCE-ROOT: every relative link in README.md and doc/*.md
# names a file or directory that exists in the tree, and a #fragment names a
# heading of the Markdown page it points at (GitHub's anchors), so moving or
# renaming a page cannot leave a link dangling. URLs (scheme:...) are not
# fetched. Links inside code (`...`, ``` blocks) are not links.
set -u
root=${1:?usage: doc-links.sh SOURCE-ROOT}
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
exec python3 - "$root" <<'EOF'
import glob, os, re, sys

root = os.path.realpath(sys.argv[1])

def slugs(path):
    """GitHub's heading anchors of a Markdown file."""
    out, seen, fence = set(), {}, False
    for line in open(path, encoding="utf-8"):
        if line.lstrip().startswith("```"):
            fence = not fence
        if fence:
            continue
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        s = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f"{s}-{n}")
    return out

def links(path):
    """(line number, target) of each inline or reference link outside code."""
    fence = False
    for no, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        line = re.sub(r"`[^`]*`", "", line)
        for m in re.finditer(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", line):
            yield no, m.group(1)
        m = re.match(r"\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)", line)
        if m:
            yield no, m.group(1)

if not os.path.isfile(os.path.join(root, "README.md")):
    print(f"not ok - {root}/README.md: no such file")
    sys.exit(1)
pages = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "doc", "*.md")))
bad = checked = 0
for page in pages:
    rel_page = os.path.relpath(page, root)
    for no, target in links(page):
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target):
            continue  # a URL or mailto:
        path, _, frag = target.partition("#")
        if path:
            base = root if path.startswith("/") else os.path.dirname(page)
            dest = os.path.realpath(os.path.join(base, path.lstrip("/")))
        else:
            dest = page
        rel = os.path.relpath(dest, root)
        checked += 1
        if rel.startswith("..") or not os.path.exists(dest):
            print(f"not ok - {rel_page}:{no}: {target}: no such file in the tree")
            bad += 1
        elif frag and dest.endswith(".md") and frag not in slugs(dest):
            print(f"not ok - {rel_page}:{no}: {target}: {rel} has no heading #{frag}")
            bad += 1
if checked == 0:
    print(f"not ok - no links found in {root}/README.md and doc/*.md")
    sys.exit(1)
if bad:
    sys.exit(1)
print(f"ok - {checked} relative links in README.md and {len(pages) - 1} doc pages resolve")
EOF
