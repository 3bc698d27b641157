package io.rustmq.client.consumer;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A consumer in its own JVM, so that a test can kill it for real: it joins a group, reads and acknowledges
 * {@code count} messages without committing, prints each payload ({@code READ <payload>}) and then {@code READY},
 * and keeps heartbeating until the process is killed. (Closing a client in the test's JVM is graceful: it commits
 * and leaves the group.)
 */
public final class KilledConsumerProcess {
    private KilledConsumerProcess() {
    }

    /**
     * Runs the consumer.
     *
     * @param args bootstrap, CA certificate path, topic, group, count
     * @throws InterruptedException never in practice: the process is killed while it sleeps
     */
    public static void main(String[] args) throws InterruptedException {
        ClientConfig config = ClientConfig.builder().brokers(args[0]).clientId("doomed")
                .tls(TlsConfig.builder().caCert(Path.of(args[1])).serverName("localhost").build()).build();
        RustMQClient client = RustMQClient.create(config);
        Consumer victim = client.createConsumer(args[2], args[3], ConsumerItSupport.fast().enableAutoCommit(false)
                .build());
        int count = Integer.parseInt(args[4]);
        for (int i = 0; i < count; i++) {
            ConsumerMessage m = victim.receive(ConsumerItSupport.WAIT);
            if (m == null) {
                System.out.println("TIMEOUT");
                System.exit(2);
            }
            System.out.println("READ " + m.payloadAsString());
            m.ack();
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10).toMillis());
    }

    /**
     * Starts the process and waits until it has read {@code count} messages.
     *
     * @param args as {@link #main}
     * @param read receives the payloads it read
     * @return the running process; kill it with {@link Process#destroyForcibly()}
     * @throws IOException if the process cannot start or ends before it is ready
     */
    static Process start(List<String> args, Set<String> read) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp", classpath,
                KilledConsumerProcess.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Set<String> seen = new HashSet<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READ ")) {
                seen.add(line.substring(5));
            } else if (line.equals("READY")) {
                read.addAll(seen);
                return p;
            }
        }
        p.destroyForcibly();
        throw new IOException("the consumer process ended before it was ready (exit " + waitQuietly(p) + ", class path "
                + classpath.split(File.pathSeparator).length + " entries)");
    }

    private static int waitQuietly(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
