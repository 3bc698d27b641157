package io.rustmq.client.internal.stream;

import java.util.concurrent.atomic.LongAdder;

/** A stream's counters, added to by its lanes on their threads and by send completions; read by metrics(). */
public final class StreamCounters {
    /** Inputs whose outputs were all stored. */
    public final LongAdder processed = new LongAdder();
    /** Failed processing attempts (a processor error, a timeout or a failed output send). */
    public final LongAdder failed = new LongAdder();
    /** Retries started. */
    public final LongAdder retried = new LongAdder();
    /** Inputs stored in the dead-letter topic. */
    public final LongAdder deadLettered = new LongAdder();
    /** Inputs skipped after a failure. */
    public final LongAdder skipped = new LongAdder();
    /** Time spent in the processor, nanoseconds. */
    public final LongAdder processingNanos = new LongAdder();
    /** Processor calls that returned. */
    public final LongAdder processingCalls = new LongAdder();
}
