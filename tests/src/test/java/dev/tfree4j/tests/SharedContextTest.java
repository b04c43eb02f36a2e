package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.NativeContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Models opened alike in one JVM share one native context (thread pool), counted by its users
 * and freed with the last; a private context or other settings get their own.
 */
class SharedContextTest {
    private static final GenerateOptions FEW = GenerateOptions.builder().maxWords(4).build();

    @Test
    void modelsOpenedAlikeShareOneContextFreedWithTheLastOfThem() {
        Path dir = BundledModel.locate();
        // Threads 3: settings no other test uses, so this test sees its own shared context.
        ModelOptions options = ModelOptions.DEFAULT.withThreads(3);
        NativeContext shared;
        try (TFreeModel a = TFreeModel.open(dir, options)) {
            String expected = a.generate("In the beginning", FEW).completion();
            try (TFreeModel b = TFreeModel.open(dir, options)) {
                shared = ModelInternals.context(a);
                assertSame(shared, ModelInternals.context(b));
                assertTrue(shared.isShared());
                assertEquals(expected, b.generate("In the beginning", FEW).completion());
            }
            assertTrue(shared.isOpen(), "the first model still uses it");
            assertEquals(expected, a.generate("In the beginning", FEW).completion());
        }
        assertFalse(shared.isOpen(), "freed with its last user");
        try (TFreeModel c = TFreeModel.open(dir, options)) {
            assertNotSame(shared, ModelInternals.context(c), "a new shared context after the last one was freed");
        }
    }

    @Test
    void aPrivateContextOrOtherSettingsGetTheirOwn() {
        Path dir = BundledModel.locate();
        ModelOptions options = ModelOptions.DEFAULT.withThreads(3);
        try (TFreeModel a = TFreeModel.open(dir, options);
             TFreeModel own = TFreeModel.open(dir, options.withPrivateContext(true));
             TFreeModel twoThreads = TFreeModel.open(dir, options.withThreads(2))) {
            assertNotSame(ModelInternals.context(a), ModelInternals.context(own));
            assertFalse(ModelInternals.context(own).isShared());
            assertNotSame(ModelInternals.context(a), ModelInternals.context(twoThreads));
            assertEquals(2, ModelInternals.context(twoThreads).threads());
            assertEquals(a.generate("In the beginning", FEW).completion(), own.generate("In the beginning", FEW).completion());
        }
    }
}
