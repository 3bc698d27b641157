package io.rustmq.client.protocol;

import java.util.HexFormat;

/** Short hex renderings of byte arrays for {@code toString} and error messages. */
final class Hex {
    private static final int PREVIEW = 32;

    private Hex() {
    }

    static String preview(byte[] b) {
        if (b == null) {
            return "null";
        }
        if (b.length <= PREVIEW) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        return "0x" + HexFormat.of().formatHex(b, 0, PREVIEW) + "…(" + b.length + " bytes)";
    }
}
