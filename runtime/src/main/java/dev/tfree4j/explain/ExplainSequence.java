package dev.tfree4j.explain;

import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.Word;
import dev.tfree4j.text.WordSplitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The teacher-forced input of an explanation (docs/spec/atman-dtm.md §A.4): the prompt's words followed by
 * the target's words but the last, n = P + T − 1 positions. Target word t is predicted by the
 * logits row of position P − 1 + t.
 *
 * @param prompt the prompt's encoding (spans in the prompt text)
 * @param targetWords the T target words, as candidates strings
 * @param targetText the target as text
 * @param targetSpans per target word its span in {@code targetText}
 * @param input the model input: P + T − 1 words
 */
record ExplainSequence(Encoding prompt, List<String> targetWords, String targetText, List<Word> targetSpans,
                       Encoding input) {

    int promptWords() {
        return prompt.nWords();
    }

    int targetCount() {
        return targetWords.size();
    }

    int length() {
        return input.nWords();
    }

    /** The logits row that predicts target word t. */
    int row(int t) {
        return promptWords() - 1 + t;
    }

    static ExplainSequence of(Tokenizer tokenizer, ExplainRequest request, int maxPositions) {
        Encoding prompt = tokenizer.encode(request.prompt());
        if (prompt.nWords() == 0) {
            throw new IllegalArgumentException("explain: the prompt is empty (it has no words); an explanation needs a prompt");
        }
        List<String> words;
        String text;
        List<Word> spans;
        if (request.targetWords() != null) {
            words = request.targetWords();
            WordSplitter.Joined joined = WordSplitter.joinWithSpans(words);
            text = joined.text();
            spans = joined.words();
        } else {
            text = request.targetText();
            Encoding joint = tokenizer.encode(request.prompt() + text);
            int p = prompt.nWords();
            if (joint.nWords() < p || !joint.words().subList(0, p).equals(prompt.words())) {
                throw new IllegalArgumentException("explain: prompt + target split differently at the seam: the prompt's words "
                        + prompt.words() + " are not the start of the joint split " + joint.words() + "; move the whitespace"
                        + " between them into the target (e.g. target \" word\" after a prompt without a trailing space),"
                        + " or give the target as words");
            }
            if (joint.nWords() == p) throw new IllegalArgumentException("explain: the target text " + quote(text) + " adds no words");
            words = new ArrayList<>();
            spans = new ArrayList<>();
            int offset = request.prompt().length();
            for (Word w : joint.spans().subList(p, joint.nWords())) {
                words.add(w.text());
                spans.add(new Word(w.text(), w.start() - offset, w.length()));
            }
            words = List.copyOf(words);
            spans = List.copyOf(spans);
        }
        int n = prompt.nWords() + words.size() - 1;
        if (n > maxPositions) {
            throw new IllegalArgumentException("explain: prompt (" + prompt.nWords() + " words) + target (" + words.size()
                    + " words) − 1 = " + n + " positions exceed the model's sequence_length " + maxPositions);
        }
        return new ExplainSequence(prompt, words, text, spans, concat(tokenizer, prompt, words));
    }

    /** The prompt's encoding followed by each target word but the last, each exactly one position. */
    private static Encoding concat(Tokenizer tokenizer, Encoding prompt, List<String> targetWords) {
        List<String> words = new ArrayList<>(prompt.words());
        List<Word> spans = new ArrayList<>(prompt.spans());
        int[] ids = prompt.ids();
        int[] rowWord = prompt.rowWord();
        int position = prompt.nWords();
        for (int t = 0; t + 1 < targetWords.size(); t++) {
            String w = targetWords.get(t);
            Encoding e = tokenizer.encode(w);
            if (e.nWords() != 1) {
                throw new IllegalArgumentException("explain: target word " + t + " " + quote(w) + " is not one word for the"
                        + " model (it encodes as " + e.words() + "); give the target as text or as the words generate returned");
            }
            words.add(e.words().getFirst());
            spans.add(e.spans().getFirst());
            int oldRows = rowWord.length;
            ids = Arrays.copyOf(ids, ids.length + e.ids().length);
            System.arraycopy(e.ids(), 0, ids, ids.length - e.ids().length, e.ids().length);
            rowWord = Arrays.copyOf(rowWord, oldRows + e.nRows());
            Arrays.fill(rowWord, oldRows, rowWord.length, position);
            position++;
        }
        return new Encoding(words, spans, prompt.population(), ids, rowWord);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
