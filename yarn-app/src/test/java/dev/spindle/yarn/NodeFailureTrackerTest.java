package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeFailureTrackerTest {

    @Test
    void excludesANodeOnceAtItsThirdFailureAndNamesItWithItsLastFailure() {
        NodeFailureTracker nodes = new NodeFailureTracker(3);
        assertFalse(nodes.failed("n1", "c1 exit status 1"));
        assertFalse(nodes.failed("n2", "c2 exit status 137"));
        assertFalse(nodes.failed("n1", "c3 exit status 1"));
        assertFalse(nodes.isExcluded("n1"));
        assertTrue(nodes.failed("n1", "c4 exit status 134"), "the third failure excludes n1");
        assertFalse(nodes.failed("n1", "c5 exit status 1"), "an excluded node is excluded once");

        assertTrue(nodes.isExcluded("n1"));
        assertFalse(nodes.isExcluded("n2"));
        assertEquals(List.of("n1"), nodes.excluded());
        assertEquals(4, nodes.failures("n1"));
        assertEquals(1, nodes.failures("n2"));
        assertEquals(0, nodes.failures("n3"));
        assertEquals(List.of("n1 (4 failed containers; last: c5 exit status 1)"), nodes.describeExcluded());
    }

    @Test
    void excludedNodesAreSortedAndTheLimitIsPositive() {
        NodeFailureTracker nodes = new NodeFailureTracker(1);
        assertTrue(nodes.failed("zeta", "x"));
        assertTrue(nodes.failed("alpha", "y"));
        assertEquals(List.of("alpha", "zeta"), nodes.excluded());
        assertEquals("maxFailures must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> new NodeFailureTracker(0)).getMessage());
    }
}
