package io.rustmq.benchmarks;

import io.rustmq.benchmarks.perf.PerfTool;
import io.rustmq.benchmarks.transport.RawQuicServer;

import java.util.Arrays;

/**
 * The main class of {@code rustmq-benchmarks.jar}: {@code jmh ...} runs JMH ({@code org.openjdk.jmh.Main}) with
 * the given arguments; {@code raw-quic-server} runs the transport benchmark's server; anything else is
 * {@code rustmq-perf}'s command line ({@code produce}, {@code consume}, {@code latency}, {@code transport},
 * {@code all}, {@code report}, {@code --help}, {@code --version}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /**
     * Dispatches on the first argument.
     *
     * @param args the mode, then its arguments
     * @throws Exception from JMH
     */
    public static void main(String[] args) throws Exception {
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        String first = args.length == 0 ? "" : args[0];
        switch (first) {
            case "jmh":
                org.openjdk.jmh.Main.main(rest);
                return;
            case "raw-quic-server":
                RawQuicServer.main(rest);
                return;
            default:
                int code = PerfTool.run(args, System.out, System.err);
                System.out.flush();
                System.exit(code);
        }
    }
}
