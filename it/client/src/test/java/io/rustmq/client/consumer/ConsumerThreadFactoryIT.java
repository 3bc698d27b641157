package io.rustmq.client.consumer;

import io.rustmq.client.internal.consumer.DefaultConsumer;
import io.rustmq.broker.junit.EmbeddedBrokerExtension;
import io.rustmq.client.Message;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.stream.MessageStream;
import io.rustmq.client.stream.StreamConfig;
import io.rustmq.client.internal.transport.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;

import static io.rustmq.client.consumer.ConsumerItSupport.WAIT;
import static io.rustmq.client.consumer.ConsumerItSupport.fast;
import static io.rustmq.client.consumer.ConsumerItSupport.payloads;
import static io.rustmq.client.consumer.ConsumerItSupport.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every thread a consumer and a stream create comes from the thread factory they are given. */
class ConsumerThreadFactoryIT {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = EmbeddedBrokerExtension.builder().autoCreateTopics(true).build();

    /** Counts the threads it made. */
    private static final class CountingFactory implements ThreadFactory {
        final Set<Thread> made = ConcurrentHashMap.newKeySet();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r);
            t.setDaemon(true);
            made.add(t);
            return t;
        }
    }

    private static List<Thread> liveThreadsNamed(String... prefixes) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> List.of(prefixes).stream().anyMatch(p -> t.getName().startsWith(p))).toList();
    }

    @Test
    void everyConsumerAndStreamThreadComesFromTheGivenFactory() throws Exception {
        String topic = "threads-in";
        try (RustMQClient producerClient = ConsumerItSupport.client(BROKER, "threads-producer")) {
            produce(producerClient, topic, 0, payloads("t", 0, 20));
        }
        CountingFactory factory = new CountingFactory();
        try (RustMQClient client = ConsumerItSupport.client(BROKER, "threads");
             ConnectionPool pool = ConnectionPool.create(ConsumerItSupport.clientConfig(BROKER, "threads-pool"))) {
            ConsumerConfig config = fast().consumerGroup("threads-group").topics(topic).maxRedeliveries(0)
                    .deadLetterTopic("threads-dlq").build();
            try (DefaultConsumer consumer = new DefaultConsumer(config, pool, client::createProducer, factory)) {
                consumer.receive(WAIT).nack(new IllegalStateException("to the dead-letter thread"));
                List<ConsumerMessage> viaStream = new CopyOnWriteArrayList<>();
                consumer.stream().subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        s.request(1);
                    }

                    @Override
                    public void onNext(ConsumerMessage item) {
                        viaStream.add(item);
                        item.ack();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onComplete() {
                    }
                });
                await().atMost(WAIT).until(() -> viaStream.size() == 1 && consumer.metrics().messagesDeadLettered() == 1);

                StreamConfig streamConfig = StreamConfig.builder().inputTopics(topic).outputTopic("threads-out")
                        .consumerGroup("threads-stream").parallelism(2)
                        .consumerConfig(fast().build()).build();
                Consumer streamInput = new DefaultConsumer(streamConfig.consumerConfig().toBuilder()
                        .consumerGroup("threads-stream").topics(topic).build(), pool, client::createProducer, factory);
                try (MessageStream stream = new MessageStream(streamConfig, streamInput,
                        client.createProducer("threads-out"), factory)
                        .map(m -> Message.builder().payload(m.payloadAsString()).build()).start()) {
                    await().atMost(WAIT).until(() -> stream.metrics().processed() >= 20);
                    List<Thread> ours = liveThreadsNamed("rustmq-consumer", "rustmq-stream");
                    assertThat(ours).isNotEmpty();
                    assertThat(ours).allMatch(factory.made::contains);
                    assertThat(ours).extracting(Thread::getName).anyMatch(n -> n.startsWith("rustmq-consumer-threads"))
                            .anyMatch(n -> n.startsWith("rustmq-consumer-heartbeat-"))
                            .anyMatch(n -> n.startsWith("rustmq-consumer-dlq-"))
                            .anyMatch(n -> n.startsWith("rustmq-consumer-stream-"))
                            .anyMatch(n -> n.startsWith("rustmq-stream-worker-"))
                            .anyMatch(n -> n.startsWith("rustmq-stream-call-"));
                }
            }
        }
    }
}
