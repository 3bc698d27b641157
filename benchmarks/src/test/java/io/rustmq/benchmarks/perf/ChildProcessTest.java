package io.rustmq.benchmarks.perf;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest {
    /** A child for these tests: says ready, then sleeps; with an argument, writes it to stderr and exits with 3. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("READY sleeper");
            System.out.flush();
            if (args.length > 0) {
                System.err.println(args[0]);
                System.exit(3);
            }
            Thread.sleep(60_000);
        }
    }

    /** A child that writes to stderr and exits before it is ready. */
    public static final class Failing {
        public static void main(String[] args) {
            System.err.println("cannot bind the port");
            System.exit(2);
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void closeStopsTheProcessAndDeletesItsLog() throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", List.of(), Sleeper.class.getName(), List.of(), "READY",
                READY_TIMEOUT);
        Path log = child.log();
        assertThat(child.readyRest()).isEqualTo("sleeper");
        assertThat(log).exists();
        child.close();
        assertThat(child.handle().isAlive()).isFalse();
        assertThat(log).doesNotExist();
    }

    @Test
    void closeStopsTheProcessButLeavesALogItWasAskedToKeep() throws Exception {
        ChildProcess child = ChildProcess.start("sleeper", List.of(), Sleeper.class.getName(), List.of(), "READY",
                READY_TIMEOUT);
        Path log = child.log();
        child.keepLog();
        child.close();
        try {
            assertThat(child.handle().isAlive()).isFalse();
            assertThat(log).exists();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theLogOfAProcessThatEndedByItselfIsKept() throws Exception {
        ChildProcess child = ChildProcess.start("crasher", List.of(), Sleeper.class.getName(),
                List.of("out of memory"), "READY", READY_TIMEOUT);
        Path log = child.log();
        child.handle().onExit().get();
        child.close();
        try {
            assertThat(Files.readString(log)).contains("out of memory");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aFailedStartQuotesTheLogAndDeletesIt() throws Exception {
        try (var logs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
                "rustmq-perf-failing-*.log")) {
            for (Path old : logs) {
                Files.deleteIfExists(old);
            }
        }
        assertThatThrownBy(() -> ChildProcess.start("failing", List.of(), Failing.class.getName(), List.of(), "READY",
                READY_TIMEOUT)).hasMessageContaining("cannot bind the port");
        try (var logs = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
                "rustmq-perf-failing-*.log")) {
            assertThat(logs).isEmpty();
        }
    }
}
