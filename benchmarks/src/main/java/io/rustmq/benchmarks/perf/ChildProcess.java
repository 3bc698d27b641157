package io.rustmq.benchmarks.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Java process started by the tool from its own class path with the same JVM (the broker, the raw QUIC server),
 * ready once it prints a known line, and stopped (SIGTERM, then SIGKILL after 5 s) on {@link #close()} or when this
 * JVM exits. Its standard error goes to a temporary log file, quoted if it fails to start. The log is deleted when the
 * tool stops the process (on {@link #close()}, on exit, or after a failed start); it is kept when the process ended by
 * itself before that, so that what it said about its end can be read.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final String name;
    private final List<String> lines;
    private final String readyRest;
    private final Path log;
    private final Thread hook;
    /** Set by {@link #keepLog()}: stopping the process leaves its log in place. */
    private final AtomicBoolean keepLog;

    private ChildProcess(Process process, String name, List<String> lines, String readyRest, Path log, Thread hook,
                         AtomicBoolean keepLog) {
        this.process = process;
        this.name = name;
        this.lines = lines;
        this.readyRest = readyRest;
        this.log = log;
        this.hook = hook;
        this.keepLog = keepLog;
    }

    /**
     * The java executable of this JVM.
     *
     * @return its path
     */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Starts {@code java [jvmOptions] -cp <this class path> mainClass args} and waits for a line that starts with
     * {@code readyPrefix}.
     *
     * @param name a name for messages
     * @param jvmOptions extra JVM options (e.g. {@code -Xmx2g}, a profiler agent), possibly empty
     * @param mainClass the main class
     * @param args its arguments
     * @param readyPrefix the start of the ready line
     * @param timeout how long to wait for it
     * @return the running process
     * @throws IOException if it cannot start, exits, or is not ready in time (the message quotes its log)
     */
    public static ChildProcess start(String name, List<String> jvmOptions, String mainClass, List<String> args,
                                     String readyPrefix, Duration timeout) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path log = Files.createTempFile("rustmq-perf-" + name + "-", ".log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        AtomicBoolean keepLog = new AtomicBoolean();
        Thread hook = new Thread(() -> stopAndDeleteLog(p, log, keepLog.get()), "rustmq-perf-stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
        List<String> lines = new ArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!ready.isDone()) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (line.startsWith(readyPrefix)) {
                            ready.complete(line.substring(readyPrefix.length()).trim());
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            ready.completeExceptionally(new IOException(name + " exited before it was ready"));
        }, "rustmq-perf-stdout-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            String rest = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ChildProcess(p, name, lines, rest, log, hook, keepLog);
        } catch (Exception e) {
            stop(p);
            removeHook(hook);
            String err;
            try {
                err = Files.readString(log);
            } catch (IOException io) {
                err = "(no log: " + io + ")";
            }
            deleteLog(log); // its content goes into the exception
            String why = e instanceof TimeoutException ? "was not ready within " + timeout.toSeconds() + " s"
                    : e.getCause() != null ? e.getCause().getMessage() : e.toString();
            throw new IOException(name + " " + why + "; command: " + String.join(" ", command) + "\nstdout: "
                    + lines + "\nstderr:\n" + err, e);
        }
    }

    /**
     * What followed the ready prefix on the ready line.
     *
     * @return the rest of the line, trimmed
     */
    public String readyRest() {
        return readyRest;
    }

    /**
     * The lines printed up to and including the ready line.
     *
     * @return a copy
     */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * The process, e.g. to read its CPU time.
     *
     * @return the handle
     */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Where its standard error goes.
     *
     * @return the log file
     */
    public Path log() {
        return log;
    }

    /**
     * Keeps the log when the process is stopped, e.g. because a run against it failed and what it said may tell why.
     * The caller then owns the file ({@link #log()}).
     */
    public void keepLog() {
        keepLog.set(true);
    }

    /**
     * Stops the process (SIGTERM, then SIGKILL after 5 s) and deletes its log, unless the process had already ended by
     * itself (then the log stays, for what it said) or {@link #keepLog()} was called.
     */
    @Override
    public void close() {
        stopAndDeleteLog(process, log, keepLog.get());
        removeHook(hook);
    }

    /**
     * Stops the process and deletes its log, unless it had already ended by itself or {@code keep} (then the log
     * stays).
     */
    private static void stopAndDeleteLog(Process p, Path log, boolean keep) {
        boolean endedByItself = !p.isAlive();
        stop(p);
        if (!endedByItself && !keep) {
            deleteLog(log);
        }
    }

    private static void deleteLog(Path log) {
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            System.getLogger(ChildProcess.class.getName()).log(System.Logger.Level.WARNING,
                    "could not delete the child process log " + log + ": " + e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
