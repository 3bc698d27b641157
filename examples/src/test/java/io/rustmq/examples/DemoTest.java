package io.rustmq.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {
    @Test
    void demoDeliversEveryMessageOnceAndPrintsItsFigures() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Demo.Result r = Demo.run(2_000, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(r.errors()).isEmpty();
        assertThat(r.sent()).isEqualTo(2_000);
        assertThat(r.received()).isEqualTo(2_000);
        assertThat(out).contains("Sent     2,000 messages", "Received 2,000 messages", "\"requestsSent\":",
                "OK: every message arrived once and intact");
        assertThat(r.statsJson()).contains("\"bytesSent\":", "\"responsesReceived\":");
    }
}
