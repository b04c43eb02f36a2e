"""Candidate dictionary (spec 6.1) and word scores / greedy decode (spec 6.2)."""
import collections
import pickle

import torch

SPECIAL_WORDS = ["<|\n|>", "<|endoftext|>", "<|no_ws|>", "<|ws|>", "<|2<-ws->|>", "<|4<-ws->|>",
                 "<|6<-ws->|>", "<|8<-ws->|>", "<|2<-\n->|>", "<|4<-\n->|>", "<|6<-\n->|>",
                 "<|8<-\n->|>"]


def order_counter(counter):
    """The loader's rule: drop counts <= 0 (Counter +), add missing specials with count 0,
    stable sort by count descending. Returns (words, counts)."""
    c = collections.Counter() + counter
    items = list(c.items())
    for s in SPECIAL_WORDS:
        if s not in c:
            items.append((s, 0))
    items = sorted(items, key=lambda kv: -kv[1])  # Python sort is stable
    return [w for w, _ in items], [n for _, n in items]


def make_counter(word_counts, top_n):
    """Top-N words by count (ties: first seen) + the 12 special words (real count, or 0),
    as a Counter whose insertion order is already the loader's order."""
    items = sorted(word_counts.items(), key=lambda kv: -kv[1])
    top = [(w, n) for w, n in items if w not in SPECIAL_WORDS][:top_n]
    c = collections.Counter()
    for w, n in sorted(top + [(s, word_counts.get(s, 0)) for s in SPECIAL_WORDS if word_counts.get(s, 0) > 0],
                       key=lambda kv: -kv[1]):
        c[w] = n
    for s in SPECIAL_WORDS:
        if s not in c:
            c[s] = 0
    return c


def save_counter(counter, path):
    with open(path, "wb") as f:
        pickle.dump(counter, f, protocol=4)


def load_counter(path):
    with open(path, "rb") as f:
        c = pickle.load(f)
    assert isinstance(c, collections.Counter)
    return c


class Dictionary:
    def __init__(self, words, hasher, edge_weight=1.0):
        self.words = list(words)
        self.hasher = hasher
        V, P = hasher.V, hasher.P
        lc = hasher.cfg.lowercase
        ri, ci, vals, n = [], [], [], []
        for wi, w in enumerate(self.words):
            rows = hasher.word_rows(w.lower() if lc else w)
            I, E = set(), set()
            for r, edge in rows:
                (E if edge else I).update(r)
            for v in I:
                ri.append(wi); ci.append(v); vals.append(1.0)
            for v in E:
                ri.append(wi); ci.append(v); vals.append(float(edge_weight))
            n.append(len(rows))
        W = len(self.words)
        self.M = torch.sparse_coo_tensor(torch.tensor([ri, ci]), torch.tensor(vals, dtype=torch.float32),
                                         (W, V)).coalesce()  # duplicates (id in I and E) add up
        self.n = torch.tensor(n, dtype=torch.float32)
        self.V, self.P = V, P

    def scores(self, logits):
        """logits [N, V] float32 -> scores [N, W] (spec 6.2, before softmax)."""
        a = torch.sigmoid(logits.float())
        A = a.sum(-1, keepdim=True)
        s = torch.sparse.mm(self.M, a.t()).t()  # [N, W]
        pn = self.P * self.n
        return s / pn + (s - A) / (self.V - pn)

    def greedy(self, logits):
        """argmax over the dictionary; ties -> lowest index (torch.argmax returns the first)."""
        return torch.argmax(self.scores(logits), dim=-1)
