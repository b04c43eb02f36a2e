#!/usr/bin/env python3
"""Greedy generation with the Python implementation (spec 6.3, without KV cache):
  /usr/bin/python3 tools/train/generate.py --model models/tfree-kjv-small "In the beginning"
Candidates = dictionary + the prompt's words that are not in it; stops at <|endoftext|>."""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfree.checkpoint import load_all  # noqa: E402
from tfree.infer import generate  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--max-words", type=int, default=32)
    ap.add_argument("--json", action="store_true", help="print words too, as JSON")
    ap.add_argument("prompts", nargs="+")
    a = ap.parse_args()
    torch.set_num_threads(1)
    model, tcfg, kcfg, hasher, d = load_all(a.model)
    for p in a.prompts:
        text, words = generate(model, hasher, d, p, a.max_words)
        if a.json:
            print(json.dumps({"prompt": p, "completion": text, "words": words}, ensure_ascii=False))
        else:
            print(repr(p + text))


if __name__ == "__main__":
    main()
