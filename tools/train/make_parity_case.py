#!/usr/bin/env python3
"""Writes a tiny trained T-FREE model plus reference logits for the Java parity test:

  /usr/bin/python3 tools/train/make_parity_case.py OUTDIR

OUTDIR/transformer/{transformer.pt,transformer_config.yaml}  (float32 weights)
OUTDIR/tokenizer/tokenizer_config.yaml
OUTDIR/dictionary/top_words_counter.pckl
OUTDIR/prompt.txt        the prompt (UTF-8, no trailing newline added)
OUTDIR/words.json        text_to_words(prompt)
OUTDIR/logits.npy        float32 [n_words, V]: prefill logits of the prompt, torch float32 CPU
OUTDIR/greedy.json       greedy continuation (8 words) by the Python implementation
Trains 6 steps of a V=1024/P=4/K=1, H=64, 2-layer model on models/tfree-kjv-small/heldout.txt
(seeded; takes well under a minute)."""
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import train  # noqa: E402
from tfree.checkpoint import load_all  # noqa: E402
from tfree.infer import generate, prefill_logits  # noqa: E402

PROMPT = ("In the beginning God created the heaven and the earth.\n"
          "And God said, Let there be light: and there was light.  Größe: 12,5 m² -- naïve café!\n\n"
          "\"Amen,\" said he <|endoftext|> (The END)")
DEFAULT_TEXT = os.path.join(here, "..", "..", "models", "tfree-kjv-small", "heldout.txt")


def make(outdir, text=DEFAULT_TEXT, steps=6):
    torch.set_num_threads(1)
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        run = os.path.join(tmp, "run")
        train.main(["--run", run, "--data", text, "--vocab-size", "1024", "--population", "4",
                    "--partial-lowercase", "1", "--hidden", "64", "--layers", "2", "--heads", "4",
                    "--seq", "64", "--batch", "4", "--steps", str(steps), "--warmup", "2", "--lr", "3e-3",
                    "--dict-size", "2000", "--precision", "float32", "--log-every", "1",
                    "--save-every", "1000", "--seed", "7"])
        for sub in ("transformer", "tokenizer", "dictionary"):
            shutil.rmtree(os.path.join(outdir, sub), ignore_errors=True)
            shutil.copytree(os.path.join(run, "export", sub), os.path.join(outdir, sub))
    model, tcfg, kcfg, hasher, d = load_all(outdir)
    words = hasher.encode_words(PROMPT)
    logits = prefill_logits(model, hasher, words).numpy().astype(np.float32)
    assert logits.shape == (len(words), kcfg.vocab_size)
    with open(os.path.join(outdir, "prompt.txt"), "w", encoding="utf-8") as f:
        f.write(PROMPT)
    with open(os.path.join(outdir, "words.json"), "w", encoding="utf-8") as f:
        json.dump(words, f, ensure_ascii=False, indent=1)
    np.save(os.path.join(outdir, "logits.npy"), logits)
    text_out, gw = generate(model, hasher, d, PROMPT, 8)
    with open(os.path.join(outdir, "greedy.json"), "w", encoding="utf-8") as f:
        json.dump({"max_words": 8, "completion": text_out, "words": gw}, f, ensure_ascii=False, indent=1)
    return words, logits


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    w, l = make(sys.argv[1])
    print(f"wrote {sys.argv[1]}: {len(w)} words, logits {l.shape}")
