package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7396's examples (Appendix A), with the target left unchanged. */
class MergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}                | {\"a\":\"c\"}              | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                | {\"b\":\"c\"}              | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                | {\"a\":null}               | {}",
            "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}               | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}              | {\"a\":\"c\"}              | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                | {\"a\":[\"b\"]}            | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                | {\"a\":[1]}",
            "[\"a\",\"b\"]                | [\"c\",\"d\"]              | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                | [\"c\"]                    | [\"c\"]",
            "{\"a\":\"foo\"}              | null                       | null",
            "{\"a\":\"foo\"}              | \"bar\"                    | \"bar\"",
            "{\"e\":null}                 | {\"a\":1}                  | {\"e\":null,\"a\":1}",
            "[1,2]                        | {\"a\":\"b\",\"c\":null}   | {\"a\":\"b\"}",
            "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}" })
    void appliesAsTheRfcSays(String target, String patch, String result) throws Exception {
        JsonNode original = JSON.readTree(target);
        JsonNode before = original.deepCopy();
        assertEquals(JSON.readTree(result), MergePatch.apply(original, JSON.readTree(patch)));
        assertEquals(before, original, "the target is not modified");
    }
}
