package jp.mamori.backup.repository;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the repository format: unknown fields are ignored so later versions can add some. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static <T> T read(byte[] json, Class<T> type, String what) throws Crypto.CorruptObjectException {
        try {
            return MAPPER.readValue(json, type);
        } catch (RuntimeException e) {
            throw new Crypto.CorruptObjectException(what + ": not the expected JSON (" + e.getMessage() + ")");
        }
    }
}
