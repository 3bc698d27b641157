package io.rustmq.client.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Sequence helpers shared by the message records: a {@code u64} count, then the elements. */
final class Lists {
    private Lists() {
    }

    static <T> void write(BincodeWriter w, List<T> items, BiConsumer<T, BincodeWriter> encoder) {
        w.length(items.size());
        for (T item : items) {
            encoder.accept(item, w);
        }
    }

    static <T> List<T> read(BincodeReader r, int minElementSize, String what, Function<BincodeReader, T> decoder) {
        int n = r.length(minElementSize, what);
        if (n == 0) {
            return List.of();
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(decoder.apply(r));
        }
        return java.util.Collections.unmodifiableList(out);
    }

    static void writeStrings(BincodeWriter w, List<String> items) {
        w.length(items.size());
        for (String s : items) {
            w.string(s);
        }
    }

    static List<String> readStrings(BincodeReader r, String what) {
        return read(r, 8, what, BincodeReader::string);
    }
}
