package org.jointregistry.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/**
 * Canonicalisation decides every published hash: a fixed document, its
 * canonical text and its SHA-256 are written here (the hash computed outside
 * Java, over the expected text), so that no change to the rules goes unseen.
 */
class CanonicalJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    // Members out of order, decimals with trailing zeros, a big integer, escapes and control characters,
    // and keys whose UTF-16 order differs from their code-point order (U+1F600 before U+FFFD).
    private static final String DOCUMENT = "{\"z\":1,\"\uD83D\uDE00\":1,\"\uFFFD\":2,\"\u00e9\":\"x\","
            + "\"n\":{\"zero\":0.00,\"one\":1.000,\"big\":12345678901234567890},\"m\":{\"b\":0.250,\"a\":-3},"
            + "\"a\":[true,null,\"\u00e9\\\"\\\\\\n\\u0001\"]}";
    private static final String CANONICAL = "{\"a\":[true,null,\"\u00e9\\\"\\\\\\n\\u0001\"],\"m\":{\"a\":-3,\"b\":0.25},"
            + "\"n\":{\"big\":12345678901234567890,\"one\":1,\"zero\":0},\"z\":1,\"\u00e9\":\"x\",\"\uD83D\uDE00\":1,"
            + "\"\uFFFD\":2}";
    private static final String SHA256 = "952ff47b05d0107bf07850f46d308eab131cfcf7296e98e8c0f3ea62f12478ea";

    @Test
    void theFixedDocumentHasItsGoldenTextAndHash() throws Exception {
        String canonical = CanonicalJson.write(JSON.readTree(DOCUMENT));
        assertEquals(CANONICAL, canonical);
        assertEquals(SHA256, CanonicalJson.sha256(canonical));
    }

    @Test
    void canonicalTextIsAFixedPoint() throws Exception {
        assertEquals(CANONICAL, CanonicalJson.write(JSON.readTree(CANONICAL)));
    }

    @Test
    void everyControlCharacterIsEscapedAndOthersAreNot() {
        assertEquals("\"\\b\\t\\n\\f\\r\\u0000\\u001f/\u007f\u2028\"",
                CanonicalJson.write(JsonNodeFactory.instance.textNode("\b\t\n\f\r\u0000\u001f/\u007f\u2028")));
    }

    @Test
    void binaryFloatingPointIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.write(JsonNodeFactory.instance.numberNode(0.1d)));
    }
}
