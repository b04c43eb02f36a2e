"""Reading/writing the reference checkpoint layout (spec 7)."""
import json
import os

import torch

from .dictionary import Dictionary, load_counter, order_counter, save_counter
from .hashing import TokenizerConfig, TrigramHasher
from .model import TFreeLM, TransformerConfig

DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}


def save_checkpoint(out, model, tok_cfg: TokenizerConfig, counter=None, precision=None):
    cfg = model.cfg
    if precision is not None:
        cfg = TransformerConfig(**{**cfg.to_dict(), "precision": precision})
    os.makedirs(os.path.join(out, "transformer"), exist_ok=True)
    os.makedirs(os.path.join(out, "tokenizer"), exist_ok=True)
    sd = model.export_state_dict(DTYPES[cfg.precision])
    torch.save(sd, os.path.join(out, "transformer", "transformer.pt"))
    with open(os.path.join(out, "transformer", "transformer_config.yaml"), "w") as f:
        json.dump(cfg.to_dict(), f, indent=4)
    with open(os.path.join(out, "tokenizer", "tokenizer_config.yaml"), "w") as f:
        json.dump(tok_cfg.to_dict(), f, indent=4)
    if counter is not None:
        os.makedirs(os.path.join(out, "dictionary"), exist_ok=True)
        save_counter(counter, os.path.join(out, "dictionary", "top_words_counter.pckl"))


def load_configs(ckpt):
    with open(os.path.join(ckpt, "transformer", "transformer_config.yaml")) as f:
        tcfg = TransformerConfig(**json.load(f))
    with open(os.path.join(ckpt, "tokenizer", "tokenizer_config.yaml")) as f:
        kcfg = TokenizerConfig(**json.load(f))
    return tcfg, kcfg


def load_model(ckpt, compute_dtype=torch.float32):
    """Model with the stored weights converted to compute_dtype (float32 by default)."""
    tcfg, kcfg = load_configs(ckpt)
    model = TFreeLM(tcfg)
    sd = torch.load(os.path.join(ckpt, "transformer", "transformer.pt"), map_location="cpu")
    sd = {k: v.to(compute_dtype) for k, v in sd.items()}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected and all(m.startswith("rope_") for m in missing), (missing, unexpected)
    model.to(compute_dtype).eval()
    return model, tcfg, kcfg


def load_dictionary(ckpt, hasher, path=None):
    path = path or os.path.join(ckpt, "dictionary", "top_words_counter.pckl")
    words, counts = order_counter(load_counter(path))
    return Dictionary(words, hasher), counts


def load_all(ckpt):
    model, tcfg, kcfg = load_model(ckpt)
    hasher = TrigramHasher(kcfg)
    d, _ = load_dictionary(ckpt, hasher)
    return model, tcfg, kcfg, hasher, d
