"""Corpus -> word indices, and vectorised per-word embedding bags / multi-hot targets."""
import numpy as np
import torch

from .wordsplit import text_to_words, END_OF_TEXT

DOC_SEP = "\n<|endoftext|>\n"


def read_documents(path):
    text = open(path, encoding="utf-8").read()
    if text.endswith("\n"):
        text = text[:-1]
    return [d for d in text.split(DOC_SEP) if d.strip()]


class WordTable:
    """Unique words with precomputed CSR arrays:
    emb: all ids of all trigram rows of the word, with multiplicity (input embedding bag);
    tgt: the distinct ids of the word (multi-hot target)."""

    def __init__(self, hasher):
        self.hasher = hasher
        self.index = {}
        self.words = []
        self._emb = []
        self._tgt = []
        self.frozen = False

    def add(self, w):
        i = self.index.get(w)
        if i is None:
            i = len(self.words)
            self.index[w] = i
            self.words.append(w)
            rows = self.hasher.word_rows(w)
            flat = [v for r, _ in rows for v in r]
            self._emb.append(flat)
            self._tgt.append(sorted(set(flat)))
            self.frozen = False
        return i

    def encode(self, words):
        return np.fromiter((self.add(w) for w in words), dtype=np.int64, count=len(words))

    def freeze(self):
        def csr(lists):
            lens = torch.tensor([len(x) for x in lists], dtype=torch.int64)
            ptr = torch.zeros(len(lists), dtype=torch.int64)
            ptr[1:] = torch.cumsum(lens, 0)[:-1]
            flat = torch.tensor([v for x in lists for v in x], dtype=torch.int64)
            return ptr, lens, flat
        self.emb_ptr, self.emb_len, self.emb_flat = csr(self._emb)
        self.tgt_ptr, self.tgt_len, self.tgt_flat = csr(self._tgt)
        self.frozen = True

    @staticmethod
    def _gather(u, ptr, lens, flat):
        starts = ptr[u]
        ln = lens[u]
        offsets = torch.cumsum(ln, 0) - ln
        total = int(ln.sum())
        rep_off = torch.repeat_interleave(offsets, ln)
        rep_start = torch.repeat_interleave(starts, ln)
        idx = torch.arange(total, dtype=torch.int64) - rep_off + rep_start
        return flat[idx], offsets, ln

    def bags(self, u):
        """u: int64 tensor [N] of word indices -> (flat ids, offsets) for embedding_bag."""
        assert self.frozen
        flat, offsets, _ = self._gather(u, self.emb_ptr, self.emb_len, self.emb_flat)
        return flat, offsets

    def targets(self, u, V):
        """Multi-hot float32 [N, V] of the distinct ids of each word."""
        assert self.frozen
        flat, _, ln = self._gather(u, self.tgt_ptr, self.tgt_len, self.tgt_flat)
        rows = torch.repeat_interleave(torch.arange(len(u), dtype=torch.int64), ln)
        t = torch.zeros(len(u), V, dtype=torch.float32)
        t[rows, flat] = 1.0
        return t


def corpus_words(paths, lowercase=False):
    """Word list of every document + <|endoftext|> after each document, per file."""
    out = []
    for p in paths:
        ws = []
        for d in read_documents(p):
            ws.extend(text_to_words(d.lower() if lowercase else d))
            ws.append(END_OF_TEXT)
        out.append(ws)
    return out


def target_pairs(table, u):
    """(row, id) pairs of the multi-hot targets of word indices u [N] (distinct per row)."""
    flat, _, ln = WordTable._gather(u, table.tgt_ptr, table.tgt_len, table.tgt_flat)
    rows = torch.repeat_interleave(torch.arange(len(u), dtype=torch.int64), ln)
    return rows, flat
