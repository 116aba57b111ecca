package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RejectLimitTest {

    @Test
    void countsSharesAndUnlimited() {
        RejectLimit count = RejectLimit.parse("100");
        assertFalse(count.exceeded(100, 100));
        assertTrue(count.exceeded(101, 1_000_000));
        assertEquals("100", count.toString());

        RejectLimit share = RejectLimit.parse(RejectLimit.DEFAULT);
        assertEquals("1%", share.toString());
        assertFalse(share.exceeded(10, 1000));
        assertTrue(share.exceeded(11, 1000));
        assertFalse(share.exceeded(0, 0));
        assertEquals("0.5%", RejectLimit.parse(" 0.5 % ").toString());

        RejectLimit zero = RejectLimit.parse("0");
        assertTrue(zero.exceeded(1, 1_000_000));
        assertFalse(zero.exceeded(0, 1_000_000));

        RejectLimit unlimited = RejectLimit.parse("UNLIMITED");
        assertTrue(unlimited.unlimited());
        assertFalse(unlimited.exceeded(Long.MAX_VALUE / 2, 1));
        assertEquals("unlimited", unlimited.toString());
    }

    @Test
    void describesTheCountTheShareAndTheLimit() {
        assertEquals("35,799 of 38,576 records were bad (93%), over --max-rejects 1%; nothing was committed",
                RejectLimit.parse("1%").describe(35_799, 38_576));
    }

    @Test
    void badValuesAreUsageErrors() {
        for (String bad : new String[] {"-1", "101%", "lots", "", "1.5", "-2%"}) {
            UsageException e = assertThrows(UsageException.class, () -> RejectLimit.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--max-rejects takes a count (100), a percentage"), e.getMessage());
        }
    }
}
