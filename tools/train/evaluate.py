#!/usr/bin/env python3
"""Held-out metrics of a checkpoint in the reference layout (definition also in the model card).

  /usr/bin/python3 tools/train/evaluate.py --model models/tfree-kjv-small \
      --text-file models/tfree-kjv-small/heldout.txt

Definition (tfree4j's `eval --model DIR --text-file F` reimplements exactly this):
* text = the whole file (UTF-8) as one string, lowercased first iff tokenizer lowercase is true;
  words = text_to_words(text).
* Non-overlapping chunks of S = sequence_length words: words[0:S], words[S:2S], ...; the last
  chunk may be shorter; chunks with fewer than 2 words are dropped.
* Per chunk c (n words): one causal forward pass over the n-1 input words c[0..n-2]
  (positions 0..n-2, fresh context per chunk); the output at position p predicts c[p+1].
* Weights are converted to float32 and the forward runs in float32.
* (a) bce = sum over all predicted positions p and all vocab ids v of
  BCE-with-logits(logit[p,v], y[p,v]) / (number of positions * V), no pos_weight, where y[p] is
  the multi-hot (0/1) set of the distinct vocab ids of the target word (union of its trigram
  rows, or its hashed ids).
* (b) accuracy = fraction of predicted positions whose greedy dictionary word equals the target
  word (string equality). Candidates = the dictionary only (dictionary/top_words_counter.pckl
  ordered by spec 6.1; no prompt words appended), score of spec 6.2 with edge weight 1.0,
  argmax of the raw score in float32, ties to the lowest index. Targets not in the dictionary
  always count as misses (oov_rate reports how many there are).
"""
import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfree.checkpoint import load_all  # noqa: E402
from tfree.infer import encode_positions  # noqa: E402
from tfree.model import tfree_loss_sparse  # noqa: E402


@torch.no_grad()
def evaluate(ckpt, text_file, max_chunks=None):
    model, tcfg, kcfg, hasher, d = load_all(ckpt)
    text = open(text_file, encoding="utf-8").read()
    words = hasher.encode_words(text)
    S = tcfg.sequence_length
    chunks = [words[i:i + S] for i in range(0, len(words), S)]
    chunks = [c for c in chunks if len(c) >= 2]
    if max_chunks:
        chunks = chunks[:max_chunks]
    V = kcfg.vocab_size
    widx = {w: i for i, w in enumerate(d.words)}
    bce_sum, n_pos, correct, oov = 0.0, 0, 0, 0
    for c in chunks:
        inp, tgt = c[:-1], c[1:]
        flat, off = encode_positions(hasher, inp)
        logits = model(flat, off, 1, len(inp))[0].float()
        rows, cols = [], []
        for p, w in enumerate(tgt):
            ids = sorted({v for r, _ in hasher.word_rows(w) for v in r})
            rows += [p] * len(ids)
            cols += ids
        bce = tfree_loss_sparse(logits, torch.tensor(rows), torch.tensor(cols), 1.0)
        bce_sum += float(bce) * logits.numel()
        pred = d.greedy(logits).tolist()
        for p, w in enumerate(tgt):
            t = widx.get(w)
            if t is None:
                oov += 1
            elif pred[p] == t:
                correct += 1
        n_pos += len(tgt)
    return {"model": ckpt, "text_file": text_file, "words": len(words), "chunks": len(chunks),
            "positions": n_pos, "bce": bce_sum / (n_pos * V), "accuracy": correct / n_pos,
            "correct": correct, "oov_rate": oov / n_pos, "dictionary_words": len(d.words)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="checkpoint dir (transformer/, tokenizer/, dictionary/)")
    ap.add_argument("--text-file", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-chunks", type=int, default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    t0 = time.time()
    r = evaluate(a.model, a.text_file, a.max_chunks)
    r["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
