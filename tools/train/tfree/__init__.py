"""tfree: a small, independent Python implementation of the T-FREE tokenizer-free LM
(word split, trigram hashing, model, loss, dictionary decode) used to train the bundled
tfree4j default model. Written from docs/spec/tfree.md (not from the reference code)."""
