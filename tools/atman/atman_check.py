#!/usr/bin/env python3
"""An independent check of tfree4j's AtMan maths (atman-dtm Part A) in PyTorch.

    /usr/bin/python3 tools/atman/atman_check.py REQUEST.json RESULT.json

REQUEST.json (written by the Java test AtManTorchCheckTest):
    {"checkpoint": DIR, "dictionary": FILE or null,
     "explanations": [{"prompt": TEXT, "target_words": [WORD, ...],
                       "cases": [{"mode": "log_add" | "mult", "factor": F, "layers": [L, ...] or null,
                                  "conceptual_threshold": K or null, "conceptual_scaled": true,
                                  "units": [[POSITION, ...], ...]}, ...]}, ...]}
RESULT.json:
    {"explanations": [{"prompt_words": [...],
                       "cases": [{"baseline": [T], "perturbed": [[T], ...per unit]}, ...]}, ...]}
where each value is ln p of target word t under the dictionary softmax (spec A.8.4).

Written apart from the Java code, from the spec: the word split and hashing come from our
trainer (tools/train/tfree, checked against the reference elsewhere); the forward pass, the
attention control, conceptual suppression and the dictionary log-prob are implemented here in
float64 with a full recompute per suppressed unit (no KV cache, no prefix reuse):
  - input = prompt words + target words but the last; word embedding = sum of its id rows;
  - scores a = q k^T / sqrt(d); control per key column m_k in the chosen layers:
      log_add: a + ln(m_k) (m = 0 -> -inf);  mult: (a - min_{k<=j} a) * m_k;
    then the causal mask and the softmax (a row with no finite score attends to nothing);
  - conceptual suppression on layer-0 inputs: k != i with cos >= kappa and cos >= 0 gets
    1 - (1 - m) cos (scaled) or m; the strongest factor wins; members keep m;
  - candidates = dictionary + the prompt's words not in it (repeats kept) + target words not
    yet candidates; ln p = score - logsumexp(scores) with the spec 6.2 word score.
"""
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "train"))
from tfree.checkpoint import load_configs  # noqa: E402
from tfree.dictionary import load_counter, order_counter  # noqa: E402
from tfree.hashing import TrigramHasher  # noqa: E402
from tfree.model import rope_tables  # noqa: E402
from tfree.wordsplit import text_to_words  # noqa: E402

DT = torch.float64


def load_weights(ckpt):
    sd = torch.load(os.path.join(ckpt, "transformer", "transformer.pt"), map_location="cpu")
    return {k: v.to(DT) for k, v in sd.items()}


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope(x, cos, sin):
    """x [T, nh, d]; interleaved pairs (2i, 2i+1) rotated by pos * inv_freq[i]."""
    xe, xo = x[..., 0::2], x[..., 1::2]
    c, s = cos[:, None, :], sin[:, None, :]
    return torch.stack((xe * c - xo * s, xe * s + xo * c), dim=-1).flatten(-2)


def controlled_attention(q, k, v, m, mode, controlled):
    """q, k, v [T, nh, d]; m [T] key factors or None. Returns [T, nh*d]."""
    T, nh, d = q.shape
    a = torch.einsum("jhc,khc->hjk", q, k) / math.sqrt(d)  # [nh, T, T]
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    if controlled and m is not None:
        if mode == "log_add":
            a = a + torch.log(m)[None, None, :]  # log(0) = -inf
        else:
            mu = a.masked_fill(~causal, float("inf")).amin(-1, keepdim=True)  # min over k <= j
            a = (a - mu) * m[None, None, :]
    a = a.masked_fill(~causal, float("-inf"))
    p = torch.softmax(a, dim=-1)
    p = torch.nan_to_num(p, nan=0.0)  # a row whose every key was removed attends to nothing
    return torch.einsum("hjk,khc->jhc", p, v).reshape(T, nh * d)


def forward(W, tcfg, x, m, mode, layers):
    T = x.shape[0]
    nh = tcfg.num_attention_heads
    d = tcfg.hidden_size // nh
    cos, sin = rope_tables(d, tcfg.sequence_length, tcfg.rotary_embedding_base)
    cos, sin = cos[:T].to(DT), sin[:T].to(DT)
    eps = tcfg.layernorm_epsilon
    for l in range(tcfg.num_layers):
        p = f"transformer.layers.{l}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], eps)
        q = rope((h @ W[p + "attention.query.weight"].T).view(T, nh, d), cos, sin)
        k = rope((h @ W[p + "attention.key.weight"].T).view(T, nh, d), cos, sin)
        v = (h @ W[p + "attention.value.weight"].T).view(T, nh, d)
        controlled = layers is None or l in layers
        x = x + controlled_attention(q, k, v, m, mode, controlled) @ W[p + "attention.dense.weight"].T
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], eps)
        g = torch.nn.functional.silu(h @ W[p + "mlp.dense_in.weight"].T) * (h @ W[p + "mlp.swiglu.weight"].T)
        x = x + g @ W[p + "mlp.dense_out.weight"].T
    return rms_norm(x, W["transformer.norm.weight"], eps) @ W["lm_head.weight"].T


class Candidates:
    """Word scores (spec 6.2) of a candidate list in float64; ln p via logsumexp."""

    def __init__(self, words, hasher):
        self.words = words
        self.first = {}
        for i, w in enumerate(words):
            self.first.setdefault(w, i)
        lc = hasher.cfg.lowercase
        rows, cols, vals, n = [], [], [], []
        for wi, w in enumerate(words):
            word_rows = hasher.word_rows(w.lower() if lc else w)
            nonedge, edge = set(), set()
            for r, is_edge in word_rows:
                (edge if is_edge else nonedge).update(r)
            for ids in (nonedge, edge):  # an id in both sets counts twice (edge weight 1)
                for v in ids:
                    rows.append(wi)
                    cols.append(v)
                    vals.append(1.0)
            n.append(len(word_rows))
        self.M = torch.sparse_coo_tensor(torch.tensor([rows, cols]), torch.tensor(vals, dtype=DT),
                                         (len(words), hasher.V)).coalesce()
        self.pn = hasher.P * torch.tensor(n, dtype=DT)
        self.V = hasher.V

    def log_probs(self, logits, words):
        """logits [T, V]; ln p of words[t] under row t."""
        a = torch.sigmoid(logits)                       # [T, V]
        s = torch.sparse.mm(self.M, a.T).T              # [T, W]
        pn = self.pn[None, :]
        scores = s / pn + (s - a.sum(-1, keepdim=True)) / (self.V - pn)
        lse = torch.logsumexp(scores, -1)
        return [float(scores[t, self.first[w]] - lse[t]) for t, w in enumerate(words)]


def embeddings(W, hasher, words):
    E = W["transformer.embeddings.embedding.weight"]
    out = torch.zeros(len(words), E.shape[1], dtype=DT)
    for i, w in enumerate(words):
        for r, _ in hasher.word_rows(w.lower() if hasher.cfg.lowercase else w):
            for v in r:
                out[i] += E[v]
    return out


def factors(n, members, m, cos, kappa, scaled):
    f = torch.ones(n, dtype=DT)
    if kappa is not None:
        for i in members:
            for k in range(n):
                c = float(cos[i, k])
                if k == i or c < kappa or c < 0:
                    continue
                fk = (1 - m) * (1 - c) + m if scaled else m
                f[k] = min(f[k], fk) if m <= 1 else max(f[k], fk)
    for i in members:
        f[i] = m
    return f


def cosines(x):
    sq = (x * x).sum(-1).clamp_min(1e-16)
    return ((x @ x.T) / torch.sqrt(sq[:, None] * sq[None, :])).clamp(-1, 1)


def explain(W, tcfg, hasher, dictionary, req):
    prompt_words = text_to_words(req["prompt"])
    model_prompt = hasher.encode_words(req["prompt"])
    target = req["target_words"]
    base = set(dictionary)
    extra = [w for w in prompt_words if w not in base]
    for w in target:
        if w not in base and w not in prompt_words and w not in extra:
            extra.append(w)
    cands = Candidates(dictionary + extra, hasher)
    words = model_prompt + target[:-1]
    x = embeddings(W, hasher, words)
    n, P = len(words), len(model_prompt)
    cos = cosines(x)

    def values(m, mode, layers):
        with torch.no_grad():
            logits = forward(W, tcfg, x.clone(), m, mode, layers)
        return cands.log_probs(logits[P - 1:P - 1 + len(target)], target)

    out = {"prompt_words": model_prompt, "cases": []}
    for case in req["cases"]:
        mode, m, layers = case["mode"], float(case["factor"]), case.get("layers")
        kappa = case.get("conceptual_threshold")
        baseline = values(None, mode, layers)
        perturbed = [values(factors(n, unit, m, cos, kappa, case.get("conceptual_scaled", True)), mode, layers)
                     for unit in case["units"]]
        out["cases"].append({"baseline": baseline, "perturbed": perturbed})
    return out


def main(request_path, result_path):
    with open(request_path, encoding="utf-8") as f:
        req = json.load(f)
    torch.set_num_threads(1)
    tcfg, kcfg = load_configs(req["checkpoint"])
    hasher = TrigramHasher(kcfg)
    W = load_weights(req["checkpoint"])
    dict_path = req.get("dictionary") or os.path.join(req["checkpoint"], "dictionary", "top_words_counter.pckl")
    dictionary, _ = order_counter(load_counter(dict_path))
    out = {"explanations": [explain(W, tcfg, hasher, dictionary, e) for e in req["explanations"]]}
    with open(result_path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
