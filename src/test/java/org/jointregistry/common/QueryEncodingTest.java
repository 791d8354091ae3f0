package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The raw query check: percent-encoded UTF-8 or the parameter it names. */
class QueryEncodingTest {

    @Test
    void wellEncodedQueriesPass() {
        assertEquals(Optional.empty(), QueryEncoding.malformed("commune=Caf%C3%A9&category=fine,threat&limit"));
        assertEquals(Optional.empty(), QueryEncoding.malformed("commune=%00x&q=a+b&=&&x=%25"));
        assertEquals(Optional.of("Caf\u00e9 a"), QueryEncoding.decode("Caf%c3%a9+a"));
    }

    @Test
    void brokenEscapesAndInvalidUtf8NameTheirParameter() {
        for (String value : new String[] { "%", "a%", "%4", "%ZZ", "%%", "%G0", "%u0000", "100%", "%C0%80",
                "%ED%A0%80", "%FF", "%C3%28", "%E2%82", "%F8%88%80%80%80", "\u00ff" }) {
            assertEquals(Optional.of("commune"), QueryEncoding.malformed("limit=5&commune=" + value), value);
        }
        assertEquals(Optional.of("a%"), QueryEncoding.malformed("limit=5&a%=1"));
    }
}
