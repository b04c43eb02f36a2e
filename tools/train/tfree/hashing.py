"""Trigrams and the md5 hash table (spec sections 2, 3), computed lazily per trigram."""
import hashlib
from dataclasses import dataclass, field

from .wordsplit import text_to_words

_ASCII_LETTERS_SPACE = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ")


def md5_mod(s, v):
    """MD5 of the UTF-8 string s, read as an unsigned big-endian 128-bit integer, mod v."""
    return int.from_bytes(hashlib.md5(s.encode("utf-8")).digest(), "big") % v


def trigram_to_id(t):
    return t[0] + 256 * t[1] + 65536 * t[2]


def is_hashed_word(word, entire_words=False):
    return entire_words or "<|" in word


def word_trigrams(word):
    """Ordered list of the distinct byte trigrams of ' ' + word + ' ' (first occurrence order).
    The reference iterates a Python set (order depends on PYTHONHASHSEED); any order is valid."""
    b = (" " + word + " ").encode("utf-8")
    seen = {}
    for i in range(len(b) - 2):
        seen.setdefault(b[i:i + 3], None)
    return list(seen)


def is_edge(t):
    return t[0] == 0x20 or t[2] == 0x20


@dataclass
class TokenizerConfig:
    lowercase: bool = False
    vocab_size: int = 8192
    sequence_length: int = 256
    vocab_population: int = 8
    vocab_population_partial_lowercase: int = 2
    do_classic_tokenization: bool = False
    prefix_path_tokenizer_file: str = ""
    seed: int = 42
    initialize: str = "hash"
    entire_words: bool = False
    end_of_text: str = "<|endoftext|>"
    word_edge_weight: int = 1
    cache_dir: object = None

    def to_dict(self):
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class TrigramHasher:
    """vocab ids of trigrams (table rows, after the partial-lowercase replacement) and of
    hashed special words. Rows are computed on demand and memoised."""

    def __init__(self, cfg: TokenizerConfig):
        assert cfg.initialize == "hash"
        self.cfg = cfg
        self.V = cfg.vocab_size
        self.P = cfg.vocab_population
        self.K = cfg.vocab_population_partial_lowercase
        self._raw = {}
        self._row = {}
        self._special = {}

    def raw_row(self, tid):
        """Row of the hash table before the partial-lowercase replacement (sorted)."""
        r = self._raw.get(tid)
        if r is None:
            chosen = set()
            for k in range(self.P):
                j = 0
                while True:
                    v = md5_mod(f"{tid}_{k}_{j}", self.V)
                    j += 1
                    if v not in chosen:
                        break
                chosen.add(v)
            r = sorted(chosen)
            self._raw[tid] = r
        return r

    def row(self, t):
        """Final row (list of P ids) of the byte trigram t (bytes of length 3)."""
        tid = trigram_to_id(t)
        r = self._row.get(tid)
        if r is None:
            r = list(self.raw_row(tid))
            if (self.K > 0 and all(c in _ASCII_LETTERS_SPACE for c in t)
                    and any(65 <= c <= 90 for c in t)):
                low = bytes(c + 32 if 65 <= c <= 90 else c for c in t)
                lr = self.raw_row(trigram_to_id(low))
                r[self.P - self.K:] = lr[self.P - self.K:]
            self._row[tid] = r
        return r

    def special_ids(self, word):
        r = self._special.get(word)
        if r is None:
            P, K, V = self.P, self.K, self.V
            r = [md5_mod(f"{word}_{i}", V) for i in range(P - K)]
            r += [md5_mod(f"{word.lower()}_lower_{i}", V) for i in range(K)]
            self._special[word] = r
        return r

    def word_rows(self, word):
        """List of (row, is_edge) for one (already lowercased if configured) word."""
        if is_hashed_word(word, self.cfg.entire_words):
            return [(self.special_ids(word), False)]
        return [(self.row(t), is_edge(t)) for t in word_trigrams(word)]

    def encode_words(self, text):
        text = text.lower() if self.cfg.lowercase else text
        return text_to_words(text)
