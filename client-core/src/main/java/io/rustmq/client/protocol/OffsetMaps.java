package io.rustmq.client.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code HashMap<TopicPartition, u64>} shared by CommitOffset and FetchOffset. */
final class OffsetMaps {
    private OffsetMaps() {
    }

    static void write(BincodeWriter w, Map<TopicPartition, Long> offsets) {
        w.length(offsets.size());
        for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
            e.getKey().encode(w);
            w.u64(e.getValue());
        }
    }

    static Map<TopicPartition, Long> read(BincodeReader r) {
        int n = r.length(TopicPartition.MIN_SIZE + 8, "offsets");
        Map<TopicPartition, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(TopicPartition.decode(r), r.u64());
        }
        return Collections.unmodifiableMap(map);
    }
}
