package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ConceptualSuppression;
import dev.tfree4j.explain.ThresholdCalibration;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The documented calibration of the conceptual suppression threshold (docs/spec/atman-dtm.md §A.8.5) holds on
 * the bundled model's held-out text: at {@link ConceptualSuppression#CALIBRATED_THRESHOLD} the
 * median neighbourhood is within 1–3 words and few words gain a neighbour that is another word;
 * lower thresholds let in many more.
 */
class ConceptualCalibrationTest {
    @Test
    void calibratedThresholdGivesSmallNeighbourhoods() throws Exception {
        String text = Files.readString(BundledModel.locate().resolve("heldout.txt"));
        try (TFreeModel model = TFreeModel.openDefault()) {
            double k = ConceptualSuppression.CALIBRATED_THRESHOLD;
            List<ThresholdCalibration.Row> rows = ThresholdCalibration.sweep(ModelInternals.loaded(model), text, new double[] {0.5, k, 1.0},
                    model.config().sequenceLength());
            ThresholdCalibration.Row low = rows.get(0), calibrated = rows.get(1), one = rows.get(2);
            assertTrue(calibrated.median() >= 1 && calibrated.median() <= 3, calibrated.toString());
            assertTrue(calibrated.shareWithOther() > 0 && calibrated.shareWithOther() < 0.05, calibrated.toString());
            assertTrue(low.shareWithOther() > 5 * calibrated.shareWithOther(), low + " vs " + calibrated);
            assertTrue(low.mean() >= calibrated.mean() && calibrated.mean() >= one.mean());
            assertEquals(0.0, one.shareWithOther(), "at κ = 1 only identical words are neighbours");
        }
    }
}
