#!/usr/bin/env python3
"""Tests of the Python T-FREE implementation and the training tools.
Run: /usr/bin/python3 -m pytest -q tools/train/test_train.py   (or: /usr/bin/python3 tools/train/test_train.py)
Fixture checks read the reference fixture vendored in the repository (testdata/fixtures/tfree-ref-a;
override with env TFREE_REF_A); they are skipped without it."""
import collections
import json
import os
import re
import sys
import tempfile
import unittest

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

from tfree.checkpoint import load_all, load_model  # noqa: E402
from tfree.dictionary import Dictionary, load_counter, order_counter  # noqa: E402
from tfree.hashing import TokenizerConfig, TrigramHasher, is_edge, word_trigrams  # noqa: E402
from tfree.infer import prefill_logits  # noqa: E402
from tfree.model import tfree_loss, tfree_loss_sparse  # noqa: E402
from tfree.wordsplit import text_to_words, words_to_text  # noqa: E402


def _fixture_dir():
    for d in (os.environ.get("TFREE_REF_A"), os.path.join(ROOT, "testdata", "fixtures", "tfree-ref-a")):
        if d and os.path.isdir(d):
            return d
    return None


FX = _fixture_dir()
HELDOUT = os.path.join(ROOT, "models", "tfree-kjv-small", "heldout.txt")
torch.set_num_threads(1)

SPEC_NAMES = ["transformer.embeddings.embedding.weight"]
for _l in range(2):
    SPEC_NAMES += [f"transformer.layers.{_l}.{n}.weight" for n in
                   ("input_layernorm", "attention.query", "attention.key", "attention.value", "attention.dense",
                    "post_attention_layernorm", "mlp.dense_in", "mlp.swiglu", "mlp.dense_out")]
SPEC_NAMES += ["transformer.norm.weight", "lm_head.weight"]


@unittest.skipUnless(FX, "reference fixtures not found")
class FixtureTests(unittest.TestCase):
    def test_wordsplit_examples(self):
        ex = json.load(open(os.path.join(FX, "wordsplit_examples.json"), encoding="utf-8"))["examples"]
        self.assertGreater(len(ex), 200)
        for e in ex:
            self.assertEqual(text_to_words(e["text"]), e["words"], repr(e["text"]))
            self.assertEqual(words_to_text(e["words"]), e["words_to_text"], repr(e["text"]))
            if e["roundtrip_ok"]:
                self.assertEqual(words_to_text(text_to_words(e["text"])), e["text"])

    def test_hash_7b_examples(self):
        t = json.load(open(os.path.join(FX, "tokenizer_7b_examples.json"), encoding="utf-8"))
        h = TrigramHasher(TokenizerConfig(**t["tokenizer_config"]))
        for k, v in t["sample_rows_before_partial_lowercase"].items():
            self.assertEqual(h.raw_row(int(k)), v, k)
        for k, v in t["sample_rows_final"].items():
            i = int(k)
            self.assertEqual(h.row(bytes([i & 255, (i >> 8) & 255, i >> 16])), v, k)
        for w in t["words"]:
            if w["hashed_as_special"]:
                self.assertEqual(h.special_ids(w["word"]), w["vocab_ids_in_order"], w["word"])
            else:
                mine = {tr.hex(): (h.row(tr), is_edge(tr)) for tr in word_trigrams(w["word"])}
                ref = {x["trigram_utf8_hex"]: (x["row_after_lowercase_replacement"], x["is_edge"])
                       for x in w["trigrams_sorted_by_bytes"]}
                self.assertEqual(mine, ref, w["word"])

    def test_prompts_rows_and_logits(self):
        m = json.load(open(os.path.join(FX, "manifest.json"), encoding="utf-8"))
        model, tcfg, kcfg = load_model(os.path.join(FX, "checkpoint"))
        h = TrigramHasher(kcfg)
        for p in m["prompts"]:
            words = h.encode_words(p["prompt"])
            self.assertEqual(words, p["encoded_words"])
            for w, det in zip(words, p["words_detail"]):
                rows = [r for r, _ in h.word_rows(w)]
                self.assertEqual(sorted(v for r in rows for v in r), det["vocab_ids_sorted_with_multiplicity"], w)
                self.assertEqual(sorted(map(tuple, rows)), sorted(map(tuple, det["rows_in_reference_order"])), w)
            ref = np.load(os.path.join(FX, "prompts", f"p{p['index']}", "prefill_logits.npy"))
            mine = prefill_logits(model, h, words).numpy()
            self.assertLess(float(np.abs(mine - ref).max()), 1e-4, p["prompt"])

    def test_dictionary_order_and_scores(self):
        cfg = json.load(open(os.path.join(FX, "checkpoint", "tokenizer", "tokenizer_config.yaml")))
        h = TrigramHasher(TokenizerConfig(**cfg))
        words, _ = order_counter(load_counter(os.path.join(FX, "dictionary", "top_words_counter.pckl")))
        self.assertEqual(words, json.load(open(os.path.join(FX, "dictionary", "words.json"), encoding="utf-8")))
        d = Dictionary(words, h)
        np.testing.assert_array_equal(d.n.numpy().astype(np.int64),
                                      np.load(os.path.join(FX, "dictionary", "word_trigram_counts.npy")))
        pdir = os.path.join(FX, "prompts", "p0")
        lg = torch.from_numpy(np.load(os.path.join(pdir, "gen_step_logits.npy")))
        ref = np.load(os.path.join(pdir, "gen_step_scores_presoftmax.npy"))[:, :len(words)]
        self.assertLess(float(np.abs(d.scores(lg).numpy() - ref).max()), 1e-5)


class LossTests(unittest.TestCase):
    def test_sparse_loss_matches_dense(self):
        g = torch.Generator().manual_seed(0)
        x = torch.randn(32, 256, generator=g, dtype=torch.float64, requires_grad=True)
        key = torch.unique(torch.randint(0, 32 * 256, (200,), generator=g))
        rows, cols = key // 256, key % 256
        y = torch.zeros(32, 256, dtype=torch.float64)
        y[rows, cols] = 1
        l1 = tfree_loss(x, y, 37.0)
        (g1,) = torch.autograd.grad(l1, x)
        l2 = tfree_loss_sparse(x, rows, cols, 37.0)
        (g2,) = torch.autograd.grad(l2, x)
        self.assertAlmostEqual(float(l1), float(l2), places=12)
        self.assertLess(float((g1 - g2).abs().max()), 1e-15)


@unittest.skipUnless(os.path.exists(HELDOUT), "models/tfree-kjv-small/heldout.txt missing")
class TrainingTests(unittest.TestCase):
    def test_train_lowers_loss_writes_checkpoint_and_resumes(self):
        import train
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "run")
            args = ["--run", run, "--data", HELDOUT, "--heldout", HELDOUT, "--vocab-size", "1024",
                    "--population", "4", "--partial-lowercase", "1", "--hidden", "64", "--layers", "2",
                    "--heads", "4", "--seq", "32", "--batch", "4", "--warmup", "3", "--lr", "3e-3",
                    "--dict-size", "500", "--log-every", "5", "--eval-every", "20", "--save-every", "10"]
            train.main(args + ["--steps", "20"])
            log = open(os.path.join(run, "progress.log"), encoding="utf-8").read()
            losses = [float(x) for x in re.findall(r"^step \d+/\d+ loss ([0-9.]+)", log, flags=re.M)]
            self.assertEqual(len(losses), 4)
            self.assertLess(losses[-1], losses[0])
            held = [float(x) for x in re.findall(r"heldout_bce ([0-9.]+)", log)]
            self.assertEqual(len(held), 1)
            exp = os.path.join(run, "export")
            for f in ("transformer/transformer.pt", "transformer/transformer_config.yaml",
                      "tokenizer/tokenizer_config.yaml", "dictionary/top_words_counter.pckl"):
                self.assertTrue(os.path.exists(os.path.join(exp, f)), f)
            sd = torch.load(os.path.join(exp, "transformer", "transformer.pt"))
            self.assertIsInstance(sd, collections.OrderedDict)
            self.assertEqual(list(sd.keys()), SPEC_NAMES)
            self.assertEqual(tuple(sd["transformer.layers.0.mlp.dense_in.weight"].shape), (170, 64))
            self.assertEqual(tuple(sd["lm_head.weight"].shape), (1024, 64))
            self.assertTrue(all(v.dtype == torch.bfloat16 and v.is_contiguous() for v in sd.values()))
            tc = json.load(open(os.path.join(exp, "transformer", "transformer_config.yaml")))
            fx_keys = ["use_flash", "embedding_normalization", "embedding_aggregation", "norm", "mlp_type",
                       "init", "bias_terms", "vocab_size", "hidden_size", "num_layers", "num_attention_heads",
                       "rotary_embedding_base", "sequence_length", "mlp_factor", "precision",
                       "layernorm_epsilon", "init_std_global_gain"]
            self.assertEqual(list(tc.keys()), fx_keys)
            self.assertEqual(tc["precision"], "bfloat16")
            kc = json.load(open(os.path.join(exp, "tokenizer", "tokenizer_config.yaml")))
            self.assertEqual(set(kc.keys()), {"lowercase", "vocab_size", "sequence_length", "vocab_population",
                                              "vocab_population_partial_lowercase", "do_classic_tokenization",
                                              "prefix_path_tokenizer_file", "seed", "initialize", "entire_words",
                                              "end_of_text", "word_edge_weight", "cache_dir"})
            c = load_counter(os.path.join(exp, "dictionary", "top_words_counter.pckl"))
            self.assertIn("<|endoftext|>", c)
            self.assertEqual(len(c), 500 + 12)
            # the bf16 export loads and runs
            model, tcfg, kcfg, hasher, d = load_all(exp)
            lg = prefill_logits(model, hasher, hasher.encode_words("And the LORD said"))
            self.assertTrue(torch.isfinite(lg).all())
            # resume continues from the saved step
            train.main(args + ["--steps", "25", "--resume"])
            log = open(os.path.join(run, "progress.log"), encoding="utf-8").read()
            self.assertIn("resumed at step 20", log)
            self.assertIn("step 25/25", log)

    def test_parity_case(self):
        import make_parity_case
        with tempfile.TemporaryDirectory() as tmp:
            words, logits = make_parity_case.make(tmp)
            self.assertEqual(open(os.path.join(tmp, "prompt.txt"), encoding="utf-8").read(), make_parity_case.PROMPT)
            lg = np.load(os.path.join(tmp, "logits.npy"))
            self.assertEqual(lg.dtype, np.float32)
            self.assertEqual(lg.shape, (len(words), 1024))
            model, tcfg, kcfg, hasher, d = load_all(tmp)
            self.assertEqual(tcfg.precision, "float32")
            again = prefill_logits(model, hasher, hasher.encode_words(make_parity_case.PROMPT)).numpy()
            np.testing.assert_allclose(again, lg, atol=1e-5)


if __name__ == "__main__":
    unittest.main()
