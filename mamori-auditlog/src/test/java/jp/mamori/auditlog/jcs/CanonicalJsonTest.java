package jp.mamori.auditlog.jcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 examples (§3.2.2, §3.2.3, §3.2.4 and Appendix B). */
class CanonicalJsonTest {

    static String canonical(String json) throws JsonParseException {
        return new String(Json.canonicalize(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void canonicalizes_the_rfc_8785_sample() throws JsonParseException {
        String input =
                """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50,
                              2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }
                """;
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertThat(canonical(input)).isEqualTo(expected);
        // §3.2.4: the UTF-8 bytes of the result
        assertThat(HexFormat.of().formatHex(Json.canonicalize(input.getBytes(StandardCharsets.UTF_8))))
                .startsWith("7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c")
                .contains("e282ac");
    }

    @Test
    void sorts_member_names_by_utf16_code_units() throws JsonParseException {
        String input =
                """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }
                """;
        assertThat(canonical(input))
                .isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                        + "\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\","
                        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void serializes_the_appendix_b_numbers_as_ecmascript_does(String ieeeHex, String expected) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        assertThat(EcmaNumbers.toString(d)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1.5, 1.5",
        "-0.0, 0",
        "100, 100",
        "1e21, 1e+21",
        "1e20, 100000000000000000000",
        "0.1, 0.1",
        "1e-7, 1e-7",
        "1.25e-7, 1.25e-7",
        "123e-20, 1.23e-18",
        "0.3, 0.3",
        "5e-324, 5e-324",
        "2.5E+2, 250",
    })
    void reads_and_writes_numbers_in_ecmascript_form(String input, String expected) throws JsonParseException {
        assertThat(canonical(input)).isEqualTo(expected);
    }

    @Test
    void refuses_nan_and_infinity() {
        assertThatThrownBy(() -> EcmaNumbers.toString(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> canonical("1e400"))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("outside the range");
    }

    @Test
    void refuses_duplicate_member_names_and_says_where() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"))
                .isInstanceOfSatisfying(JsonParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("duplicate member name \"a\"");
                });
    }

    @Test
    void refuses_lone_surrogates_escaped_or_encoded() {
        assertThatThrownBy(() -> Json.parse("[\"\\ud800\"]"))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> Json.parse("[\"\\udc00\\ud800\"]")).isInstanceOf(JsonParseException.class);
        byte[] encodedSurrogate = {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
        assertThatThrownBy(() -> Json.parse(encodedSurrogate))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void reports_the_line_and_column_of_a_syntax_error() {
        assertThatThrownBy(() -> Json.parse("{\"patient\": \"synthetic\",\n \"terminal\": tru}"))
                .isInstanceOfSatisfying(JsonParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(14);
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[1,]",
                "{\"a\":1,}",
                "01",
                "1.",
                ".5",
                "+1",
                "[1 2]",
                "'a'",
                "\"a",
                "{\"a\" 1}",
                "nul",
                "[] []",
                "\"\\x\"",
                "-",
                "1e",
                "NaN",
            })
    void refuses_what_strict_json_does_not_allow(String input) {
        assertThatThrownBy(() -> Json.parse(input)).isInstanceOf(JsonParseException.class);
    }

    @Test
    void keeps_non_ascii_text_as_utf8_and_escapes_only_what_it_must() throws JsonParseException {
        assertThat(canonical("{\"name\":\"山田 太郎\",\"tab\":\"\\t\",\"del\":\"\u007f\",\"ls\":\"\\u2028\"}"))
                .isEqualTo("{\"del\":\"\u007f\",\"ls\":\"\u2028\",\"name\":\"山田 太郎\",\"tab\":\"\\t\"}");
    }
}
