package io.rustmq.benchmarks;

import io.rustmq.benchmarks.perf.PerfTool;
import io.rustmq.benchmarks.transport.RawQuicServer;

import java.util.Arrays;

/**
 * The main class of {@code rustmq-benchmarks.jar}: {@code jmh ...} runs JMH ({@code org.openjdk.jmh.Main}) with
 * the given arguments; {@code produce}, {@code consume}, {@code latency}, {@code transport} and {@code all} run
 * {@code rustmq-perf}; {@code raw-quic-server} runs the transport benchmark's server.
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
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.println(PerfTool.usage());
            System.exit(args.length == 0 ? PerfTool.EXIT_USAGE : 0);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jmh":
                org.openjdk.jmh.Main.main(rest);
                return;
            case "raw-quic-server":
                RawQuicServer.main(rest);
                return;
            default:
                int code = PerfTool.run(args[0], rest, System.out, System.err);
                System.out.flush();
                System.exit(code);
        }
    }
}
