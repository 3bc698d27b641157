package io.rustmq.it.jakarta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Calls the test application's servlet at {@code rustmq.app.url} (for example http://127.0.0.1:8080/rustmq-it). */
public final class AppHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    /** Calls the application at {@code rustmq.app.url}. */
    public AppHttp() {
        this(System.getProperty("rustmq.app.url", "http://127.0.0.1:8080/" + AppArchive.APP));
    }

    /**
     * Calls an application at the given address.
     *
     * @param base the application's URL, without the /api part
     */
    public AppHttp(String base) {
        this.base = base;
    }

    /**
     * A status and a body.
     *
     * @param status the HTTP status
     * @param body the text
     */
    public record Reply(int status, String body) {
    }

    /**
     * GETs {@code /api/<path>} with query parameters given as name, value, name, value, ...
     *
     * @param path the path under /api
     * @param params names and values
     * @return the reply
     */
    public Reply get(String path, Object... params) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < params.length; i += 2) {
            q.append(i == 0 ? '?' : '&').append(params[i]).append('=')
                    .append(URLEncoder.encode(String.valueOf(params[i + 1]), StandardCharsets.UTF_8));
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/" + path + q))
                .timeout(Duration.ofSeconds(120)).GET().build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends through the application and expects success.
     *
     * @param topic the topic
     * @param prefix payload prefix
     * @param count how many
     * @param keys distinct keys
     * @param poisonEvery every how many one is poison (0: none)
     */
    public void send(String topic, String prefix, int count, int keys, int poisonEvery) {
        Reply r = get("send", "topic", topic, "prefix", prefix, "count", count, "keys", keys,
                "poisonEvery", poisonEvery);
        if (r.status() != 200 || !r.body().equals(String.valueOf(count))) {
            throw new AssertionError("send through the application failed: " + r);
        }
    }

    /**
     * What the MDB of a topic recorded.
     *
     * @param topic the topic
     * @return the records, split into their fields
     */
    public List<String[]> received(String topic) {
        Reply r = get("received", "topic", topic);
        if (r.status() != 200) {
            throw new AssertionError("reading the recorder failed: " + r);
        }
        return r.body().isEmpty() ? List.of() : Arrays.stream(r.body().split("\n")).map(l -> l.split("\t")).toList();
    }
}
