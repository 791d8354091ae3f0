package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jointregistry.common.ETags.IfMatch;
import org.junit.jupiter.api.Test;

/** Entity tags and the If-None-Match / If-Match rules of RFC 9110 §13.1. */
class ETagsTest {

    @Test
    void aVersionsTagIsItsNumberQuoted() {
        assertEquals("\"3\"", ETags.of(3));
    }

    @Test
    void ifNoneMatchComparesWeaklyAndReadsLists() {
        assertTrue(ETags.noneMatchHits("\"3\"", 3));
        assertTrue(ETags.noneMatchHits("W/\"3\"", 3));
        assertTrue(ETags.noneMatchHits(" \"1\" , \"3\"", 3));
        assertTrue(ETags.noneMatchHits("*", 3));
        assertFalse(ETags.noneMatchHits("\"33\"", 3));
        assertFalse(ETags.noneMatchHits("\"1\", \"2\"", 3));
        assertFalse(ETags.noneMatchHits("3", 3), "an unquoted tag is not a tag");
        assertFalse(ETags.noneMatchHits("garbage \"3\"", 3), "a list that does not parse from the start names none");
        assertFalse(ETags.noneMatchHits(null, 3));
    }

    @Test
    void ifMatchComparesStronglyAndAnswers412Or428() {
        assertDoesNotThrow(() -> IfMatch.required("\"3\"").check(3));
        assertDoesNotThrow(() -> IfMatch.required("\"1\", \"3\"").check(3));
        assertDoesNotThrow(() -> IfMatch.required("*").check(3));
        assertEquals(ProblemType.PRECONDITION_FAILED,
                assertThrows(ProblemException.class, () -> IfMatch.required("W/\"3\"").check(3)).type());
        assertEquals(ProblemType.PRECONDITION_FAILED,
                assertThrows(ProblemException.class, () -> IfMatch.required("\"2\"").check(3)).type());
        assertEquals(ProblemType.PRECONDITION_REQUIRED,
                assertThrows(ProblemException.class, () -> IfMatch.required(" ")).type());
        assertEquals(IfMatch.ANY, IfMatch.optional(null));
        assertDoesNotThrow(() -> IfMatch.optional(null).checkMissing());
        assertEquals(ProblemType.PRECONDITION_FAILED,
                assertThrows(ProblemException.class, () -> IfMatch.optional("*").checkMissing()).type());
    }
}
