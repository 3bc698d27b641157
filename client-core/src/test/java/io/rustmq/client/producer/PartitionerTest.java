package io.rustmq.client.producer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionerTest {
    @Test
    void murmur2MatchesKafkasReferenceValues() {
        // The values Kafka's own UtilsTest checks Utils.murmur2 against.
        assertThat(Partitioner.murmur2(bytes("21"))).isEqualTo(-973932308);
        assertThat(Partitioner.murmur2(bytes("foobar"))).isEqualTo(-790332482);
        assertThat(Partitioner.murmur2(bytes("a-little-bit-long-string"))).isEqualTo(-985981536);
        assertThat(Partitioner.murmur2(bytes("a-little-bit-longer-string"))).isEqualTo(-1486304829);
        assertThat(Partitioner.murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"))).isEqualTo(-58897971);
        assertThat(Partitioner.murmur2(new byte[] {'a', 'b', 'c'})).isEqualTo(479470107);
    }

    @Test
    void sameKeyAlwaysLandsOnTheSamePartitionAndKeysSpreadOverAll() {
        Partitioner p = Partitioner.DEFAULT;
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            byte[] key = bytes("user-" + i);
            int partition = p.partition("t", key, 6);
            assertThat(partition).isBetween(0, 5).isEqualTo(p.partition("t", key, 6))
                    .isEqualTo((Partitioner.murmur2(key) & 0x7fffffff) % 6);
            seen.add(partition);
        }
        assertThat(seen).hasSize(6);
    }

    @Test
    void keylessMessagesAreLeftToTheProducersStickyChoice() {
        assertThat(Partitioner.DEFAULT.partition("t", null, 3)).isEqualTo(Partitioner.UNASSIGNED);
        assertThat(Partitioner.DEFAULT.partition("t", new byte[0], 3)).isBetween(0, 2);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
