package io.rustmq.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UppercaseStreamTest {
    @Test
    void everyWordComesOutInUpperCase() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<String> out = UppercaseStream.run(List.of("alpha", "beta", "gamma"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(out).containsExactlyInAnyOrder("ALPHA", "BETA", "GAMMA");
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("beta -> BETA", "\"processed\":3");
    }
}
