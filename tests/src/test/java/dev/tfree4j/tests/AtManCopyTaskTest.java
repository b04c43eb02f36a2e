package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ControlMode;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.Explanation;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.explain.TargetScore;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Part C item 9 on a synthetic copy model (CopyTaskModel): the word the model copies must get
 * the largest score, and a positive one, wherever it stands, in both control modes and for
 * every target score.
 */
class AtManCopyTaskTest {
    @TempDir
    static Path dir;
    private static TFreeModel model;

    @BeforeAll
    static void build() {
        model = TFreeModel.open(CopyTaskModel.write(dir.resolve("copy")));
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    static List<String> prompts() {
        return List.of("the old lamp stood by the door", "lamp a cat sat on the mat", "a cat sat on the old mat by a lamp",
                "the dark door by the light lamp");
    }

    @ParameterizedTest
    @MethodSource("prompts")
    void theCopiedWordGetsTheLargestPositiveScore(String prompt) {
        // The construction works: the model predicts the marked word.
        assertEquals(List.of(CopyTaskModel.MARKED), model.generate(prompt, GenerateOptions.builder().maxWords(1).build()).tokens());
        for (ControlMode mode : ControlMode.values()) {
            for (TargetScore score : TargetScore.values()) {
                ExplainRequest req = ExplainRequest.builder(prompt).targetWords(List.of(CopyTaskModel.MARKED)).mode(mode)
                        .score(score).promptGranularity(PromptGranularity.WORD).build();
                Explanation e = model.explain(req).explanations().getFirst();
                List<ExplainItem> items = e.promptItems();
                ExplainItem best = items.stream().max(Comparator.comparingDouble(ExplainItem::score)).orElseThrow();
                String where = mode + "/" + score + " on \"" + prompt + "\": " + items;
                assertEquals(CopyTaskModel.MARKED, best.text(), where);
                assertTrue(best.score() > 0, where);
                // ... by a margin: every other word scores less than half of it.
                for (ExplainItem i : items) {
                    if (i != best) assertTrue(Math.abs(i.score()) < best.score() / 2, where);
                }
            }
        }
    }
}
