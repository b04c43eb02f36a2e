#!/usr/bin/env python3
"""Trains a small T-FREE model on CPU and writes it in the reference checkpoint layout.

Example (the bundled model, see models/tfree-kjv-small/README.md):
  nice -n 15 /usr/bin/python3 tools/train/train.py --run tools/train/runs/kjv-small \
      --data tools/train/data/kjv_train.txt:0.7 --data tools/train/data/fortunes_en.txt:0.3 \
      --heldout tools/train/data/kjv_heldout.txt --steps 4000 --warmup 100 --time-budget-min 72
Resumable: re-run the same command with --resume (state in RUN/state.pt)."""
import argparse
import collections
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tfree.checkpoint import save_checkpoint  # noqa: E402
from tfree.data import WordTable, corpus_words, target_pairs  # noqa: E402
from tfree.dictionary import make_counter  # noqa: E402
from tfree.hashing import TokenizerConfig, TrigramHasher  # noqa: E402
from tfree.model import TFreeLM, TransformerConfig, tfree_loss_sparse  # noqa: E402
from tfree.wordsplit import text_to_words  # noqa: E402


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="run directory (log, state, export)")
    ap.add_argument("--data", action="append", required=True, help="FILE[:WEIGHT] (sampling weight)")
    ap.add_argument("--heldout", help="text file for a periodic held-out loss")
    ap.add_argument("--vocab-size", type=int, default=8192)
    ap.add_argument("--population", type=int, default=8)
    ap.add_argument("--partial-lowercase", type=int, default=2)
    ap.add_argument("--lowercase", action="store_true")
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--mlp-factor", type=float, default=2.66796875)
    ap.add_argument("--seq", type=int, default=256, help="sequence_length (words)")
    ap.add_argument("--batch", type=int, default=8, help="sequences per step")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr", type=float, default=2e-4)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--pos-weight", type=float, default=100.0)
    ap.add_argument("--loss-scale", type=float, default=100.0)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--device", default="cpu", help="torch device, e.g. cuda (see tools/train/README.md)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads (1 is faster than 2 on a shared, loaded 2-core machine)")
    ap.add_argument("--dict-size", type=int, default=16384, help="top-N training words in the dictionary")
    ap.add_argument("--precision", default="bfloat16", choices=["bfloat16", "float32"])
    ap.add_argument("--log-every", type=int, default=10)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--save-every", type=int, default=100)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--time-budget-min", type=float, default=0.0,
                    help="if > 0: every --replan-every steps, set the total step count (and so the cosine "
                         "schedule) so that training ends after this many minutes of training time, "
                         "measured from the average step time so far (never above --steps)")
    ap.add_argument("--replan-every", type=int, default=100)
    return ap.parse_args(argv)


def lr_at(step, a):
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    t = (step - a.warmup) / max(1, a.steps - a.warmup)
    return a.min_lr + 0.5 * (a.lr - a.min_lr) * (1 + math.cos(math.pi * min(1.0, t)))


def sample_batch(sources, weights, B, T, seed, step):
    rng = np.random.default_rng([seed, step])
    src = rng.choice(len(sources), size=B, p=weights)
    rows = []
    for s in src:
        arr = sources[s]
        st = int(rng.integers(0, len(arr) - T - 1))
        rows.append(arr[st:st + T + 1])
    return torch.from_numpy(np.stack(rows))


def step_tensors(table, u, V):
    B, T1 = u.shape
    inp = u[:, :-1].reshape(-1)
    tgt = u[:, 1:].reshape(-1)
    flat, off = table.bags(inp)
    rows, cols = target_pairs(table, tgt)
    return flat, off, (rows, cols), B, T1 - 1


def on_device(device, flat, off, tgt):
    """Moves one step's index tensors to the training device (a no-op on the CPU)."""
    return flat.to(device), off.to(device), (tgt[0].to(device), tgt[1].to(device))


def heldout_batches(table, path, T, max_words=20000):
    words = text_to_words(open(path, encoding="utf-8").read())[:max_words]
    u = torch.from_numpy(table.encode(words))
    return [u[i:i + T] for i in range(0, len(u) - 1, T) if len(u[i:i + T]) >= 2]


@torch.no_grad()
def heldout_loss(model, table, chunks, V):
    model.eval()
    tot, n = 0.0, 0
    for c in chunks:
        flat, off, tgt, B, T = step_tensors(table, c[None, :], V)
        flat, off, tgt = on_device(next(model.parameters()).device, flat, off, tgt)
        logits = model(flat, off, B, T).reshape(-1, V)
        tot += float(tfree_loss_sparse(logits, tgt[0], tgt[1], 1.0)) * logits.numel()
        n += logits.numel()
    model.train()
    return tot / n


def main(argv=None):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    os.makedirs(a.run, exist_ok=True)
    log = open(os.path.join(a.run, "progress.log"), "a")

    def say(msg):
        print(msg, flush=True)
        log.write(msg + "\n")
        log.flush()

    state_path = os.path.join(a.run, "state.pt")
    state = None
    if a.resume and os.path.exists(state_path):
        state = torch.load(state_path, map_location="cpu")
        saved = state["args"]
        for k in ("vocab_size", "population", "partial_lowercase", "lowercase", "hidden", "layers", "heads",
                  "mlp_factor", "seq", "seed", "data"):
            if saved[k] != getattr(a, k):
                raise SystemExit(f"--resume: argument {k} differs from the saved run ({saved[k]} vs {getattr(a, k)})")
    a.max_steps = a.steps
    say(f"args {json.dumps(vars(a))}")

    kcfg = TokenizerConfig(lowercase=a.lowercase, vocab_size=a.vocab_size, sequence_length=a.seq,
                           vocab_population=a.population, vocab_population_partial_lowercase=a.partial_lowercase)
    tcfg = TransformerConfig(vocab_size=a.vocab_size, hidden_size=a.hidden, num_layers=a.layers,
                             num_attention_heads=a.heads, sequence_length=a.seq, mlp_factor=a.mlp_factor,
                             precision=a.precision)
    hasher = TrigramHasher(kcfg)
    table = WordTable(hasher)
    t0 = time.time()
    paths, weights = [], []
    for d in a.data:
        p, _, w = d.partition(":")
        paths.append(p)
        weights.append(float(w) if w else 1.0)
    weights = np.array(weights) / sum(weights)
    per_file = corpus_words(paths, lowercase=a.lowercase)
    counts = collections.Counter()
    for ws in per_file:
        counts.update(ws)
    sources = [table.encode(ws) for ws in per_file]
    held = heldout_batches(table, a.heldout, a.seq, 8 * a.seq) if a.heldout else []
    table.freeze()
    say(f"data: {[len(s) for s in sources]} words per file, weights {weights.tolist()}, "
        f"{len(table.words)} distinct words, {len(hasher._row)} trigram rows, {time.time() - t0:.1f}s")

    torch.manual_seed(a.seed)
    model = TFreeLM(tcfg)
    model.init_weights(torch.Generator().manual_seed(a.seed))
    model.to(a.device)  # parameters move in place, so the optimiser below sees them on the device
    nparams = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    step = 0
    elapsed = 0.0
    if state is not None:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optim"])
        step = state["step"]
        elapsed = state.get("elapsed", 0.0)
        if a.time_budget_min > 0:  # keep the schedule planned so far (re-planned again below)
            a.steps = min(a.max_steps, state.get("planned_steps", a.steps))
        say(f"resumed at step {step}")
    say(f"model: {nparams:,} parameters, tokenizer {kcfg.to_dict()}, transformer {tcfg.to_dict()}")

    def save_state():
        tmp = state_path + ".tmp"
        torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "step": step, "args": vars(a),
                    "elapsed": elapsed, "planned_steps": a.steps}, tmp)
        os.replace(tmp, state_path)

    V = a.vocab_size
    words_per_step = a.batch * a.seq
    model.train()
    run_loss, run_n, t_last, s_last = 0.0, 0, time.time(), step
    while step < a.steps:
        ts = time.time()
        lr = lr_at(step, a)
        for g in opt.param_groups:
            g["lr"] = lr
        u = sample_batch(sources, weights, a.batch, a.seq, a.seed, step)
        flat, off, tgt, B, T = step_tensors(table, u, V)
        flat, off, tgt = on_device(a.device, flat, off, tgt)
        logits = model(flat, off, B, T).reshape(-1, V)
        loss = tfree_loss_sparse(logits, tgt[0], tgt[1], a.pos_weight)
        opt.zero_grad(set_to_none=True)
        (loss * a.loss_scale).backward()
        gnorm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip))
        opt.step()
        step += 1
        elapsed += time.time() - ts
        run_loss += float(loss)
        run_n += 1
        if step % a.log_every == 0 or step == a.steps:
            now = time.time()
            wps = (step - s_last) * words_per_step / (now - t_last)
            eta = (a.steps - step) * words_per_step / max(wps, 1e-9)
            say(f"step {step}/{a.steps} loss {run_loss / run_n:.5f} lr {lr:.2e} gnorm {gnorm:.3f} "
                f"words/s {wps:.0f} elapsed {elapsed / 60:.1f}m ETA {eta / 60:.1f}m")
            run_loss, run_n, t_last, s_last = 0.0, 0, now, step
        if a.time_budget_min > 0 and step % a.replan_every == 0 and step < a.steps:
            left = a.time_budget_min * 60 - elapsed
            planned = max(step + 1, min(a.max_steps, step + int(left / (elapsed / step))))
            if planned != a.steps:
                say(f"replan at step {step}: {elapsed / step:.2f}s/step, total steps {a.steps} -> {planned}")
                a.steps = planned
        if held and (step % a.eval_every == 0 or step == a.steps):
            say(f"step {step} heldout_bce {heldout_loss(model, table, held, V):.5f} (unweighted, first {8 * a.seq} words)")
        if step % a.save_every == 0 or step == a.steps:
            save_state()
    export = os.path.join(a.run, "export")
    counter = make_counter(counts, a.dict_size)
    save_checkpoint(export, model, kcfg, counter, precision=a.precision)
    save_checkpoint(os.path.join(a.run, "export_fp32"), model, kcfg, counter, precision="float32")
    say(f"done: {step} steps, {elapsed / 60:.1f} min of training, exported to {export} ({a.precision}) "
        f"and {export}_fp32")


if __name__ == "__main__":
    main()
