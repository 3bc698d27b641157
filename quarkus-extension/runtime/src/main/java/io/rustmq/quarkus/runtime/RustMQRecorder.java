package io.rustmq.quarkus.runtime;

import java.util.function.Supplier;

import io.quarkus.runtime.annotations.Recorder;

/** Hands what the build found in the channel signatures to the runtime. */
@Recorder
public class RustMQRecorder {

    /**
     * The payload interceptor of one batch ({@code List<T>}) channel.
     *
     * @param channel the incoming channel name
     * @param elementType binary class name of {@code T} ({@code [B} for {@code byte[]})
     * @return a supplier of the interceptor bean
     */
    public Supplier<RustMQBatchPayloadInterceptor> batchInterceptor(String channel, String elementType) {
        return () -> new RustMQBatchPayloadInterceptor(channel, elementType);
    }
}
