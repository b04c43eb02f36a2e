package dev.tfree4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopSequencesTest {
    @Test
    void withoutStopsEverythingPassesAtOnce() {
        StopSequences stops = new StopSequences(List.of());
        assertEquals("In the", stops.add("In the"));
        assertEquals("", stops.finish());
        assertFalse(stops.stopped());
    }

    @Test
    void cutsBeforeAStopSpreadOverPieces() {
        StopSequences stops = new StopSequences(List.of("the earth"));
        assertEquals("created ", stops.add("created the"));   // "the" may begin the stop: held back
        assertEquals("", stops.add(" ear"));
        assertEquals("", stops.add("th and"));
        assertTrue(stops.stopped());
        assertEquals("", stops.add(" more"));
        assertEquals("", stops.finish());
    }

    @Test
    void releasesHeldTextThatTurnsOutNotToBeAStop() {
        StopSequences stops = new StopSequences(List.of("\n\n", "END"));
        assertEquals("a", stops.add("a\n"));
        assertEquals("\nb", stops.add("b"));
        assertEquals("", stops.add("EN"));
        assertEquals("EN", stops.finish());
        assertFalse(stops.stopped());
    }

    @Test
    void theEarliestStopWins() {
        StopSequences stops = new StopSequences(List.of("God", "beginning"));
        assertEquals("In the ", stops.add("In the beginning God"));
        assertTrue(stops.stopped());
    }
}
