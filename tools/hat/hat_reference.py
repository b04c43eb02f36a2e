#!/usr/bin/env python3
"""tfree4j's own PyTorch reference of the HAT forward pass (docs/spec/hat.md §2, §9), written from the
spec for the config variants the shared hat-tiny-a fixture does not cover (spec §8's list):

  - interleaved RoPE pairs (is_neox_style false) in encoder and connector,
  - llama3 rope scaling in the backbone,
  - an encoder connector whose hidden size C differs from the backbone width,
  - GQA in the decoder cross-attention (attention_num_kv_heads < num_attention_heads),
  - cross_attn_every_layer false (cross-attention in decoder layer 0 only; query_norm/kv_norm in
    every layer, §9),
  - a prompt far beyond 2x the sliding window, with multi-byte characters.

(key_query_norm is refused by tfree4j's config reader, as by the vLLM fork, so it is not a variant here.)

The decoder cross-attention is computed as a full softmax attention over the word's one key (q_proj,
k_proj, query_norm included), not as the guide-vector shortcut the runtime uses. Everything is
float32 from bf16-rounded weights; the sliding window is the vLLM convention (W keys, self included).

Writes DIR/config.json, DIR/model.safetensors (bf16, single file) and DIR/golden/forward.safetensors
(input_ids, cu_seqlens, logits [T, 256] float32). Deterministic for a seed.

    python3 tools/hat/hat_reference.py --out testdata/hat-variants-b
"""
import argparse
import json
import math
import os
import struct

import torch

CONFIG = {
    "architectures": ["HATDecoderForCausalLM"],
    "model_type": "hierarchical_autoregressive_transformer",
    "torch_dtype": "bfloat16",
    "encoder_config": {
        "vocab_size": 256, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "intermediate_size": 48, "max_position_embeddings": 512,
        "rms_norm_eps": 1e-6, "rope_theta": 5000.0, "rope_scaling": {"rope_type": "default"},
        "is_neox_style": False, "sliding_window": 8, "mlp_bias": False, "hidden_act": "silu",
        "key_query_norm": False,
        "cross_attention_config": {
            "hidden_size": 48, "hidden_size_q": 64, "hidden_size_kv": 32, "num_attention_heads": 6,
            "attention_num_kv_heads": 3, "word_window_size": 1, "key_query_norm": False,
        },
    },
    "backbone_config": {
        "vocab_size": 0, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "intermediate_size": 96, "max_position_embeddings": 256,
        "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 16},
        "is_neox_style": True, "sliding_window": None, "mlp_bias": False, "hidden_act": "silu",
        "key_query_norm": False,
    },
    "decoder_config": {
        "vocab_size": 256, "hidden_size": 32, "num_hidden_layers": 3, "num_attention_heads": 2,
        "num_key_value_heads": 1, "intermediate_size": 40, "max_position_embeddings": 512,
        "rms_norm_eps": 1e-5, "rope_theta": 20000.0, "rope_scaling": {"rope_type": "default"},
        "is_neox_style": True, "sliding_window": 8, "mlp_bias": False, "hidden_act": "silu",
        "key_query_norm": False, "cross_attn_every_layer": False,
        "cross_attention_config": {
            "hidden_size": 32, "hidden_size_q": 32, "hidden_size_kv": 64, "num_attention_heads": 2,
            "attention_num_kv_heads": 1, "word_window_size": 1, "key_query_norm": False,
        },
    },
    "special_token_dict": {"<|eot_id|>": 192, "<|begin_of_text|>": 193},
    "eos_token_id": 192,
    "max_word_size": 6,
    "sliding_window": 8,
    "max_position_embeddings": 512,
}

PROMPT = ("Über den Wolken muss die Freiheit wohl grenzenlos sein: 5€ für 日本, "
          "and a long tail of words that runs well past the window.")


def words_of(text, max_word_size):
    """A simple word rule (space joins the next word, then chunks of max_word_size bytes): the
    runtime is given these words, so the splitter is not what this reference tests."""
    words, cur = [], b""
    for ch in text:
        b = ch.encode("utf-8")
        if ch == " " and cur:
            words.append(cur)
            cur = b""
        cur += b
    words.append(cur)
    out = []
    for w in words:
        while len(w) > max_word_size:
            out.append(w[:max_word_size])
            w = w[max_word_size:]
        out.append(w)
    return [b"\xc1"] + out  # <|begin_of_text|>


def inv_freq(cfg, head_dim):
    f = [cfg["rope_theta"] ** (-2.0 * i / head_dim) for i in range(head_dim // 2)]
    rs = cfg.get("rope_scaling") or {"rope_type": "default"}
    if rs["rope_type"] == "llama3":
        factor, low, high, orig = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"], rs["original_max_position_embeddings"]
        out = []
        for x in f:
            wavelen = 2 * math.pi / x
            if wavelen > orig / low:
                out.append(x / factor)
            elif wavelen < orig / high:
                out.append(x)
            else:
                smooth = (orig / wavelen - low) / (high - low)
                out.append((1 - smooth) * x / factor + smooth * x)
        f = out
    return torch.tensor(f, dtype=torch.float32)


def rope(x, positions, cfg, head_dim):
    """x [n, heads, head_dim] rotated at positions [n] (rotate-half or interleaved pairs)."""
    angles = positions.to(torch.float32)[:, None] * inv_freq(cfg, head_dim)[None, :]  # [n, d/2]
    cos, sin = torch.cos(angles)[:, None, :], torch.sin(angles)[:, None, :]
    if cfg.get("is_neox_style", True):
        a, b = x[..., : head_dim // 2], x[..., head_dim // 2:]
        return torch.cat([a * cos - b * sin, a * sin + b * cos], dim=-1)
    a, b = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


def rms(x, w, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w


def attention(q, k, v, mask):
    """q [nq, H, d], k/v [nk, Hkv, d], mask [nq, nk] bool (True = visible); GQA by repeat-interleave."""
    rep = q.shape[1] // k.shape[1]
    k = k.repeat_interleave(rep, dim=1)
    v = v.repeat_interleave(rep, dim=1)
    s = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(q.shape[-1])
    s = s.masked_fill(~mask[None], float("-inf"))
    return torch.einsum("hqk,khd->qhd", torch.softmax(s, dim=-1), v)


def block(x, W, p, cfg, window):
    n, D = x.shape
    H, Hkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = D // H
    pos = torch.arange(n)
    h = rms(x, W[p + "input_layernorm.weight"], cfg["rms_norm_eps"])
    q = rope((h @ W[p + "self_attn.q_proj.weight"].T).view(n, H, d), pos, cfg, d)
    k = rope((h @ W[p + "self_attn.k_proj.weight"].T).view(n, Hkv, d), pos, cfg, d)
    v = (h @ W[p + "self_attn.v_proj.weight"].T).view(n, Hkv, d)
    i, j = pos[:, None], pos[None, :]
    mask = (j <= i) & ((j > i - window) if window else torch.ones_like(j <= i))
    x = x + attention(q, k, v, mask).reshape(n, D) @ W[p + "self_attn.o_proj.weight"].T
    h = rms(x, W[p + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
    g = h @ W[p + "mlp.gate_proj.weight"].T
    return x + (torch.nn.functional.silu(g) * (h @ W[p + "mlp.up_proj.weight"].T)) @ W[p + "mlp.down_proj.weight"].T


def forward(W, C, ids, cu):
    enc, bb, dec = C["encoder_config"], C["backbone_config"], C["decoder_config"]
    T, N = len(ids), len(cu) - 1
    word_of = torch.zeros(T, dtype=torch.long)
    for n in range(N):
        word_of[cu[n]:cu[n + 1]] = n
    x = W["encoder.embedding_layer.weight"][torch.tensor(ids)]
    for l in range(enc["num_hidden_layers"]):
        x = block(x, W, f"encoder.layers.{l}.", enc, enc["sliding_window"])
    e = x
    # Encoder connector: latent query at the word index, keys at byte positions, within the word.
    cc = enc["cross_attention_config"]
    Hc, Hkc = cc["num_attention_heads"], cc["attention_num_kv_heads"]
    d = cc["hidden_size"] // Hc
    p = "encoder_connector.cross_attention_encoder_connector."
    latent = W["encoder_connector.latent_query"].reshape(1, -1).expand(N, -1)
    q = rope((latent @ W[p + "q_proj.weight"].T).view(N, Hc, d), torch.arange(N), enc, d)
    k = rope((e @ W[p + "k_proj.weight"].T).view(T, Hkc, d), torch.arange(T), enc, d)
    v = (e @ W[p + "v_proj.weight"].T).view(T, Hkc, d)
    mask = word_of[None, :] == torch.arange(N)[:, None]
    words = attention(q, k, v, mask).reshape(N, -1) @ W[p + "o_proj.weight"].T
    s = words
    for l in range(bb["num_hidden_layers"]):
        s = block(s, W, f"backbone.layers.{l}.", bb, 0)
    pred = torch.cat([W["decoder_connector.first_word_embedding"].reshape(1, -1), s[:-1]], dim=0)
    # Decoder: full softmax cross-attention of each byte over its word's predictive vector.
    dc = dec["cross_attention_config"]
    Hd, Hkd = dc["num_attention_heads"], dc["attention_num_kv_heads"]
    dd = dc["hidden_size"] // Hd
    x = e
    for l in range(dec["num_hidden_layers"]):
        p = f"decoder.decoder_layers.{l}."
        if l == 0 or dec["cross_attn_every_layer"]:
            qn = rms(x, W[p + "query_norm.weight"], dec["rms_norm_eps"])
            kvn = rms(pred, W[p + "kv_norm.weight"], dec["rms_norm_eps"])
            q = (qn @ W[p + "cross_attention.q_proj.weight"].T).view(T, Hd, dd)
            k = (kvn @ W[p + "cross_attention.k_proj.weight"].T).view(N, Hkd, dd)
            v = (kvn @ W[p + "cross_attention.v_proj.weight"].T).view(N, Hkd, dd)
            m = word_of[:, None] == torch.arange(N)[None, :]
            x = x + attention(q, k, v, m).reshape(T, -1) @ W[p + "cross_attention.o_proj.weight"].T
        x = block(x, W, p + "llama_layer.", dec, dec["sliding_window"])
    x = rms(x, W["layer_norm.weight"], dec["rms_norm_eps"])
    return x @ W["lm_head.weight"].T


def make_weights(C, seed):
    g = torch.Generator().manual_seed(seed)
    W = {}

    def t(name, *shape, scale=None, norm=False):
        if norm:
            W[name] = 1.0 + 0.1 * torch.randn(*shape, generator=g)
        else:
            W[name] = torch.randn(*shape, generator=g) * (scale if scale else 1.0 / math.sqrt(shape[-1]))

    def blk(p, c):
        D, H, Hkv, F = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["intermediate_size"]
        d = D // H
        t(p + "input_layernorm.weight", D, norm=True)
        t(p + "self_attn.q_proj.weight", H * d, D)
        t(p + "self_attn.k_proj.weight", Hkv * d, D)
        t(p + "self_attn.v_proj.weight", Hkv * d, D)
        t(p + "self_attn.o_proj.weight", D, H * d)
        t(p + "post_attention_layernorm.weight", D, norm=True)
        t(p + "mlp.gate_proj.weight", c["intermediate_size"], D)
        t(p + "mlp.up_proj.weight", F, D)
        t(p + "mlp.down_proj.weight", D, F)

    def cross(p, c):
        kv = c["hidden_size"] // c["num_attention_heads"] * c["attention_num_kv_heads"]
        t(p + "q_proj.weight", c["hidden_size"], c["hidden_size_q"])
        t(p + "k_proj.weight", kv, c["hidden_size_kv"])
        t(p + "v_proj.weight", kv, c["hidden_size_kv"])
        t(p + "o_proj.weight", c["hidden_size_q"], c["hidden_size"])

    enc, bb, dec = C["encoder_config"], C["backbone_config"], C["decoder_config"]
    t("encoder.embedding_layer.weight", 256, enc["hidden_size"], scale=1.0)
    for l in range(enc["num_hidden_layers"]):
        blk(f"encoder.layers.{l}.", enc)
    t("encoder_connector.latent_query", 1, 1, bb["hidden_size"], scale=1.0)
    cross("encoder_connector.cross_attention_encoder_connector.", enc["cross_attention_config"])
    for l in range(bb["num_hidden_layers"]):
        blk(f"backbone.layers.{l}.", bb)
    t("decoder_connector.first_word_embedding", 1, 1, bb["hidden_size"], scale=1.0)
    for l in range(dec["num_hidden_layers"]):
        p = f"decoder.decoder_layers.{l}."
        blk(p + "llama_layer.", dec)
        if l == 0 or dec["cross_attn_every_layer"]:
            cross(p + "cross_attention.", dec["cross_attention_config"])
        t(p + "query_norm.weight", dec["hidden_size"], norm=True)
        t(p + "kv_norm.weight", bb["hidden_size"], norm=True)
    t("layer_norm.weight", dec["hidden_size"], norm=True)
    t("lm_head.weight", 256, dec["hidden_size"], scale=0.5)
    # Round every weight to bf16: the reference computes in float32 from the stored values.
    return {k: v.to(torch.bfloat16) for k, v in W.items()}


def write_safetensors(path, tensors):
    """The safetensors format: u64 header length, JSON header, then the raw little-endian data."""
    names = {torch.bfloat16: "BF16", torch.float32: "F32", torch.int32: "I32"}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261206)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    W = make_weights(CONFIG, a.seed)
    words = words_of(PROMPT, CONFIG["max_word_size"])
    ids = [b for w in words for b in w]
    cu = [0]
    for w in words:
        cu.append(cu[-1] + len(w))
    with torch.no_grad():
        logits = forward({k: v.to(torch.float32) for k, v in W.items()}, CONFIG, ids, cu)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    write_safetensors(os.path.join(a.out, "model.safetensors"), W)
    os.makedirs(os.path.join(a.out, "golden"), exist_ok=True)
    write_safetensors(os.path.join(a.out, "golden", "forward.safetensors"), {
        "input_ids": torch.tensor(ids, dtype=torch.int32),
        "cu_seqlens": torch.tensor(cu, dtype=torch.int32),
        "logits": logits.to(torch.float32),
    })
    print(f"{a.out}: {len(ids)} bytes, {len(words)} words, logits max |x| {logits.abs().max():.2f}")


if __name__ == "__main__":
    main()
