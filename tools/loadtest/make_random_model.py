#!/usr/bin/env python3
"""Writes a random-weight T-FREE model in the reference layout (transformer/transformer.pt +
configs), for load tests and benchmarks that need a realistic shape, not realistic words.

    /usr/bin/python3 tools/loadtest/make_random_model.py OUT [--hidden 2048 --layers 16 --heads 16
                                                          --vocab 16384 --seq 2048]

The default is a 1B-shaped model (hidden 2048, 16 layers, SwiGLU factor 2.668: 0.93 B parameters,
1.9 GB in bf16). The tokenizer config and dictionary are the bundled model's (the vocabulary size
changed to --vocab). Weights: N(0, 0.02) with the output layers scaled by 1/sqrt(2·layers), norms 1.
"""
import argparse
import json
import math
import os
import shutil

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLED = os.path.join(HERE, "..", "..", "models", "tfree-kjv-small")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--hidden", type=int, default=2048)
    ap.add_argument("--layers", type=int, default=16)
    ap.add_argument("--heads", type=int, default=16)
    ap.add_argument("--vocab", type=int, default=16384)
    ap.add_argument("--seq", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    with open(os.path.join(BUNDLED, "transformer", "transformer_config.yaml")) as f:
        tcfg = json.load(f)
    tcfg.update(hidden_size=a.hidden, num_layers=a.layers, num_attention_heads=a.heads, vocab_size=a.vocab,
                sequence_length=a.seq, precision="bfloat16")
    with open(os.path.join(BUNDLED, "tokenizer", "tokenizer_config.yaml")) as f:
        kcfg = json.load(f)
    kcfg.update(vocab_size=a.vocab, sequence_length=a.seq)

    torch.manual_seed(a.seed)
    h, ff = a.hidden, int(a.hidden * tcfg["mlp_factor"])
    out_std = 0.02 / math.sqrt(2 * a.layers)

    def w(rows, cols, std=0.02):
        return (torch.randn(rows, cols) * std).to(torch.bfloat16)

    sd = {"transformer.embeddings.embedding.weight": w(a.vocab, h)}
    for l in range(a.layers):
        p = f"transformer.layers.{l}."
        sd[p + "input_layernorm.weight"] = torch.ones(h, dtype=torch.bfloat16)
        sd[p + "attention.query.weight"] = w(h, h)
        sd[p + "attention.key.weight"] = w(h, h)
        sd[p + "attention.value.weight"] = w(h, h)
        sd[p + "attention.dense.weight"] = w(h, h, out_std)
        sd[p + "post_attention_layernorm.weight"] = torch.ones(h, dtype=torch.bfloat16)
        sd[p + "mlp.dense_in.weight"] = w(ff, h)
        sd[p + "mlp.swiglu.weight"] = w(ff, h)
        sd[p + "mlp.dense_out.weight"] = w(h, ff, out_std)
    sd["transformer.norm.weight"] = torch.ones(h, dtype=torch.bfloat16)
    sd["lm_head.weight"] = w(a.vocab, h)

    os.makedirs(os.path.join(a.out, "transformer"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "tokenizer"), exist_ok=True)
    torch.save(sd, os.path.join(a.out, "transformer", "transformer.pt"))
    with open(os.path.join(a.out, "transformer", "transformer_config.yaml"), "w") as f:
        json.dump(tcfg, f, indent=4)
    with open(os.path.join(a.out, "tokenizer", "tokenizer_config.yaml"), "w") as f:
        json.dump(kcfg, f, indent=4)
    shutil.copytree(os.path.join(BUNDLED, "dictionary"), os.path.join(a.out, "dictionary"), dirs_exist_ok=True)
    n = sum(t.numel() for t in sd.values())
    print(f"{a.out}: {n / 1e9:.2f} B parameters, hidden {h}, {a.layers} layers, intermediate {ff}, vocab {a.vocab}")


if __name__ == "__main__":
    main()
