"""The T-FREE decoder (spec section 5) with the reference's state-dict names (spec 7.3)."""
import math
from collections import OrderedDict
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class TransformerConfig:
    use_flash: bool = False
    embedding_normalization: bool = False
    embedding_aggregation: str = "sum"
    norm: str = "rms"
    mlp_type: str = "swiglu"
    init: str = "pythia"
    bias_terms: bool = False
    vocab_size: int = 8192
    hidden_size: int = 256
    num_layers: int = 4
    num_attention_heads: int = 4
    rotary_embedding_base: int = 10000
    sequence_length: int = 256
    mlp_factor: float = 2.66796875
    precision: str = "bfloat16"
    layernorm_epsilon: float = 1e-5
    init_std_global_gain: float = 1.0

    def to_dict(self):
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    @property
    def intermediate_size(self):
        return int(self.hidden_size * self.mlp_factor)


def rope_tables(head_dim, max_pos, base):
    """cos/sin [max_pos, head_dim/2] with float32 angles (float32 pos * float32 inv_freq)."""
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    pos = torch.arange(max_pos, dtype=torch.float32)
    ang = torch.outer(pos, inv_freq)
    return torch.cos(ang), torch.sin(ang)


def apply_rope(x, cos, sin):
    """x [B, T, nh, d]; interleaved pairs (x[2i], x[2i+1]) rotated by the angle. cos/sin [T, d/2]."""
    dt = x.dtype
    x = x.float()
    xe, xo = x[..., 0::2], x[..., 1::2]
    c = cos[None, :, None, :]
    s = sin[None, :, None, :]
    out = torch.stack((xe * c - xo * s, xe * s + xo * c), dim=-1).flatten(-2)
    return out.to(dt)


class RMSNorm(nn.Module):
    def __init__(self, h, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(h))
        self.eps = eps

    def forward(self, x):
        u = x.float()
        u = u * torch.rsqrt(u.pow(2).mean(-1, keepdim=True) + self.eps)
        return u.to(x.dtype) * self.weight


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        H = cfg.hidden_size
        self.nh = cfg.num_attention_heads
        self.d = H // self.nh
        self.query = nn.Linear(H, H, bias=False)
        self.key = nn.Linear(H, H, bias=False)
        self.value = nn.Linear(H, H, bias=False)
        self.dense = nn.Linear(H, H, bias=False)

    def forward(self, x, cos, sin):
        B, T, H = x.shape
        q = self.query(x).view(B, T, self.nh, self.d)
        k = self.key(x).view(B, T, self.nh, self.d)
        v = self.value(x).view(B, T, self.nh, self.d)
        q = apply_rope(q, cos, sin).transpose(1, 2)
        k = apply_rope(k, cos, sin).transpose(1, 2)
        v = v.transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.d))
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        scores = scores.float().masked_fill(mask, -10000.0)
        probs = torch.softmax(scores, dim=-1).to(v.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, H)
        return self.dense(out)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        H, Fi = cfg.hidden_size, cfg.intermediate_size
        self.dense_in = nn.Linear(H, Fi, bias=False)
        self.swiglu = nn.Linear(H, Fi, bias=False)
        self.dense_out = nn.Linear(Fi, H, bias=False)

    def forward(self, x):
        return self.dense_out(F.silu(self.dense_in(x)) * self.swiglu(x))


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.layernorm_epsilon)
        self.attention = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.layernorm_epsilon)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin):
        x = x + self.attention(self.input_layernorm(x), cos, sin)
        return x + self.mlp(self.post_attention_layernorm(x))


class Embeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embedding = nn.Embedding(cfg.vocab_size, cfg.hidden_size)


class Transformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg.num_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.layernorm_epsilon)


class TFreeLM(nn.Module):
    """Input: flat vocab ids of all (trigram row, slot) entries of all positions, plus
    offsets (one bag per position, B*T bags). Embedding = sum over the bag (multiplicity)."""

    def __init__(self, cfg: TransformerConfig):
        super().__init__()
        assert cfg.norm == "rms" and cfg.mlp_type == "swiglu" and not cfg.bias_terms
        assert cfg.embedding_aggregation == "sum" and not cfg.embedding_normalization
        self.cfg = cfg
        self.transformer = Transformer(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        cos, sin = rope_tables(cfg.hidden_size // cfg.num_attention_heads, cfg.sequence_length,
                               cfg.rotary_embedding_base)
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)

    def init_weights(self, generator=None):
        """GPT-NeoX/Pythia-style: 'small init' std sqrt(2/(5H)) for input projections and
        embeddings, 'wang init' std 2/(L*sqrt(H)) for the residual output projections."""
        cfg = self.cfg
        H, L = cfg.hidden_size, cfg.num_layers
        g = cfg.init_std_global_gain
        small = g * math.sqrt(2.0 / (5 * H))
        wang = g * 2.0 / (L * math.sqrt(H))
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("layernorm.weight") or name == "transformer.norm.weight":
                    p.fill_(1.0)
                elif name.endswith("attention.dense.weight") or name.endswith("mlp.dense_out.weight"):
                    p.normal_(0.0, wang, generator=generator)
                else:
                    p.normal_(0.0, small, generator=generator)

    def embed(self, flat_ids, offsets, B, T):
        E = self.transformer.embeddings.embedding.weight
        x = F.embedding_bag(flat_ids, E, offsets, mode="sum")
        return x.view(B, T, -1)

    def forward_hidden(self, x):
        T = x.shape[1]
        cos, sin = self.rope_cos[:T], self.rope_sin[:T]
        for layer in self.transformer.layers:
            x = layer(x, cos, sin)
        return self.transformer.norm(x)

    def forward(self, flat_ids, offsets, B, T):
        x = self.embed(flat_ids, offsets, B, T)
        return self.lm_head(self.forward_hidden(x))

    def export_state_dict(self, dtype):
        """OrderedDict with exactly the reference names/shapes, contiguous, in dtype."""
        sd = OrderedDict()
        for k, v in self.state_dict().items():
            if k.startswith("rope_"):
                continue
            sd[k] = v.detach().cpu().to(dtype).contiguous().clone()  # always saved as CPU storages
        return sd


def tfree_loss(logits, targets, pos_weight):
    """Spec 8: BCE with logits and pos_weight, mean over all elements."""
    pw = torch.full((logits.shape[-1],), float(pos_weight), dtype=logits.dtype, device=logits.device)
    return F.binary_cross_entropy_with_logits(logits, targets, pos_weight=pw)


class _SparseBCE(torch.autograd.Function):
    """Same value and gradient as tfree_loss(logits, multi_hot, pw) where multi_hot is 1 exactly
    at (rows[i], cols[i]) (pairs must be distinct), without materialising the dense target.
    BCE(x, 0) = softplus(x); BCE(x, 1) weighted = pw * softplus(-x)."""

    @staticmethod
    def forward(ctx, logits, rows, cols, pw):
        N = logits.numel()
        xp = logits[rows, cols]
        total = F.softplus(logits).sum(dtype=torch.float64)
        total = total + (pw * F.softplus(-xp) - F.softplus(xp)).sum(dtype=torch.float64)
        ctx.save_for_backward(logits, rows, cols)
        ctx.pw = pw
        return (total / N).to(logits.dtype)

    @staticmethod
    def backward(ctx, g):
        logits, rows, cols = ctx.saved_tensors
        scale = g / logits.numel()
        grad = torch.sigmoid(logits)
        sp = grad[rows, cols]
        grad.mul_(scale)
        grad[rows, cols] = ctx.pw * (sp - 1.0) * scale
        return grad, None, None, None


def tfree_loss_sparse(logits, rows, cols, pos_weight):
    return _SparseBCE.apply(logits, rows, cols, float(pos_weight))
