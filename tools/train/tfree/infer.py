"""Prefill logits and greedy generation (spec 6.3; no KV cache: full recompute per step)."""
import torch

from .wordsplit import words_to_text


def encode_positions(hasher, words):
    flat, offsets, pos = [], [], 0
    for w in words:
        offsets.append(pos)
        for r, _ in hasher.word_rows(w):
            flat.extend(r)
            pos += len(r)
    return torch.tensor(flat, dtype=torch.int64), torch.tensor(offsets, dtype=torch.int64)


@torch.no_grad()
def prefill_logits(model, hasher, words):
    flat, off = encode_positions(hasher, words)
    return model(flat, off, 1, len(words))[0].float()


@torch.no_grad()
def generate(model, hasher, dictionary, prompt, max_words=32):
    """Greedy generation as the reference: candidates = dictionary + the prompt's words not in
    it (appended without de-duplication); stop on <|endoftext|> (included)."""
    words = hasher.encode_words(prompt)
    extra = [w for w in words if w not in set(dictionary.words)]
    from .dictionary import Dictionary
    d = Dictionary(dictionary.words + extra, hasher) if extra else dictionary
    out = []
    for _ in range(max_words):
        if len(words) >= model.cfg.sequence_length:
            break
        logits = prefill_logits(model, hasher, words)[-1:]
        w = d.words[int(d.greedy(logits)[0])]
        out.append(w)
        words = words + hasher.encode_words(w)
        if w == hasher.cfg.end_of_text or w == "":
            break
    return words_to_text(out), out
