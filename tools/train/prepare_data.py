"""Normalises the raw Debian texts into plain-text corpus files (called by fetch_data.sh).

Output (documents separated by a line holding exactly <|endoftext|>):
  kjv_train.txt     KJV books minus the held-out ones, one document per book
  kjv_heldout.txt   the held-out books (Ruth, Jonah, Titus, Philemon, Jude), plain text
                    without separators (books separated by one blank line)
  fortunes_en.txt   English fortune cookies, one document per cookie
Book text: per chapter a heading line "<Book> <chapter>", then one verse per line without
verse numbers; chapters separated by a blank line.
"""
import argparse
import glob
import os
import re

HELDOUT_BOOKS = ["Ruth", "Jonah", "Titus", "Philemon", "Jude"]
FORTUNE_SKIP = {"art", "ascii-art", "translate-me"}
SEP = "\n<|endoftext|>\n"


def parse_kjv(path):
    books = {}  # name -> list of (chapter, [verses])
    order = []
    cur = None
    head = re.compile(r"^(\S.*) (\d+)$")
    verse = re.compile(r"^\s+\d+ (.*)$")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            m = head.match(line)
            if m:
                book, ch = m.group(1), int(m.group(2))
                if book not in books:
                    books[book] = []
                    order.append(book)
                cur = (ch, [])
                books[book].append(cur)
                continue
            m = verse.match(line)
            assert m and cur is not None, line
            cur[1].append(re.sub(r"\s+", " ", m.group(1)).strip())
    return order, books


def book_text(name, chapters):
    return "\n\n".join(f"{name} {ch}\n" + "\n".join(vs) for ch, vs in chapters)


def parse_fortunes(root):
    docs = []
    files = sorted(glob.glob(os.path.join(root, "usr/share/games/fortunes/*")))
    for fn in files:
        base = os.path.basename(fn)
        if "." in base or os.path.isdir(fn) or os.path.islink(fn) or base in FORTUNE_SKIP:
            continue
        raw = open(fn, "rb").read().decode("utf-8", errors="replace")
        for entry in re.split(r"^%$", raw, flags=re.M):
            lines = [re.sub(r"[ \t]+", " ", l).strip() for l in entry.split("\n")]
            text = "\n".join(lines).strip()
            text = re.sub(r"\n{3,}", "\n\n", text)
            if len(text) < 20:
                continue
            letters = sum(c.isalpha() or c == " " for c in text)
            if letters / len(text) < 0.75:  # ASCII art, tables
                continue
            docs.append(text)
    return files, docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--kjv-raw", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    order, books = parse_kjv(a.kjv_raw)
    assert len(order) == 66, len(order)
    for b in HELDOUT_BOOKS:
        assert b in books, b
    train = [book_text(b, books[b]) for b in order if b not in HELDOUT_BOOKS]
    held = [book_text(b, books[b]) for b in HELDOUT_BOOKS]
    with open(os.path.join(a.out, "kjv_train.txt"), "w", encoding="utf-8") as f:
        f.write(SEP.join(train) + "\n")
    with open(os.path.join(a.out, "kjv_heldout.txt"), "w", encoding="utf-8") as f:
        f.write("\n\n".join(held) + "\n")
    _, docs = parse_fortunes(a.root)
    with open(os.path.join(a.out, "fortunes_en.txt"), "w", encoding="utf-8") as f:
        f.write(SEP.join(docs) + "\n")
    print(f"kjv: {len(train)} training books, held out {HELDOUT_BOOKS}; fortunes: {len(docs)} cookies")


if __name__ == "__main__":
    main()
