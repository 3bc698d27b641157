package io.rustmq.client;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared Jackson mapper for JSON payloads and stats. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
