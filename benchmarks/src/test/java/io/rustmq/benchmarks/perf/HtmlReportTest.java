package io.rustmq.benchmarks.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustmq.broker.EmbeddedBroker;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import io.rustmq.client.TlsConfig;
import io.rustmq.client.consumer.ConsumerConfig;
import io.rustmq.client.consumer.StartPosition;
import io.rustmq.client.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report of a short real run (an embedded broker on loopback, a produce run at a fixed rate and a consume
 * run), opened in a real headless Chromium: no console error, every chart drawn with the expected number of points,
 * and a screenshot under {@code target/perf-report/} for people to look at. Skipped, with a message, where no
 * Chromium is installed ({@code .ci/run} installs Debian's {@code chromium}).
 */
class HtmlReportTest {
    private static final Path OUT = Path.of("target", "perf-report");
    private static List<HtmlReport.Run> runs;

    @BeforeAll
    static void shortRealRun() throws Exception {
        Files.createDirectories(OUT);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).topic("report", 1).build().start();
             RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers(broker.bootstrap())
                     .tls(TlsConfig.builder().caCert(broker.certificatePem()).build()).build())) {
            // 12,000 records at 4,000/s: a timeline of three seconds at least, and a latency distribution
            Summary produce = ProduceRun.run(client, "produce 100 B", new ProduceRun.Spec("report", 12_000, 100,
                    ProducerConfig.builder().build(), 4_000, 0, Duration.ofSeconds(60)),
                    Map.of("mode", "produce", "rate", 4000), null, null);
            assertThat(produce.errors()).isZero();
            Summary consume = ConsumeRun.run(client, "report", "report-group", 12_000, ConsumerConfig.builder()
                    .startPosition(StartPosition.earliest()).build(), Duration.ofSeconds(60),
                    Map.of("mode", "consume"), null, quiet).withTest("consume 100 B");
            assertThat(consume.records()).isEqualTo(12_000);
            runs = List.of(new HtmlReport.Run("this build", produce, 120.0),
                    new HtmlReport.Run("this build", consume, 120.0));
        }
    }

    private static Path chromium() {
        String env = System.getenv("CHROMIUM");
        for (String candidate : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** Runs headless Chromium on a page; returns {stdout, stderr}. */
    private static String[] chromium(Path browser, Path profile, Path page, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path stdout = Files.createTempFile(profile, "out", ".txt");
        Path stderr = Files.createTempFile(profile, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 90 s: " + String.join(" ", cmd));
        }
        return new String[] {Files.readString(stdout), Files.readString(stderr)};
    }

    private static int count(String dom, String chart, String element) {
        Matcher m = Pattern.compile("<svg[^>]*data-chart=\"" + chart + "\"[^>]*>(.*?)</svg>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(m.find()).as("chart %s in the rendered page", chart).isTrue();
        Matcher e = Pattern.compile("<" + element + " [^>]*class=\"(pt|bar)\"").matcher(m.group(1));
        int n = 0;
        while (e.find()) {
            n++;
        }
        return n;
    }

    @Test
    void reportOfAShortRunRendersInHeadlessChromiumWithoutErrors(@TempDir Path profile) throws Exception {
        Path browser = chromium();
        assumeTrue(browser != null, "no Chromium installed (set CHROMIUM or apt-get install chromium): the"
                + " browser check of the HTML report is skipped");
        Path page = OUT.resolve("report.html").toAbsolutePath();
        HtmlReport.write(page, "rustmq-perf test run", runs);

        String[] dump = chromium(browser, profile, page, "--dump-dom");
        String dom = dump[0];
        assertThat(dump[1]).as("Chromium's console log").doesNotContain(":CONSOLE(").doesNotContain("Uncaught");
        assertThat(dom).contains("data-rendered=\"true\"");

        int timeline = runs.stream().mapToInt(r -> r.summary().get("timeline").size()).sum();
        assertThat(runs.get(0).summary().get("timeline").size()).as("seconds sampled in the paced produce run")
                .isGreaterThanOrEqualTo(3);
        assertThat(count(dom, "throughput-records", "circle")).isEqualTo(timeline);
        assertThat(count(dom, "throughput-mb", "circle")).isEqualTo(timeline);
        int latencyPoints = 0;
        for (var p : runs.get(0).summary().get("latency").get("distribution")) {
            if (p.get("percentile").asDouble() < 100) {
                latencyPoints++;
            }
        }
        assertThat(latencyPoints).isGreaterThan(10);
        assertThat(count(dom, "latency", "circle")).isEqualTo(latencyPoints);
        // one bar per thread group seen in any run, for each run: a group may burn CPU in one run only
        Set<String> groups = new TreeSet<>();
        for (var r : runs) {
            r.summary().get("clientCpuByThread").fieldNames().forEachRemaining(groups::add);
        }
        assertThat(runs.get(0).summary().get("clientCpuByThread").size()).isGreaterThan(0);
        assertThat(count(dom, "cpu", "rect")).isEqualTo(groups.size() * runs.size());
        assertThat(dom).contains("transport ceiling 120 MB/s");

        Path png = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(browser, profile, page, "--screenshot=" + png, "--window-size=1280,2400", "--hide-scrollbars");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    @Test
    void savedRunsAreComparedSideBySideFromTheCommandLine(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, json.writeValueAsString(runs.get(0).summary()));
        Files.writeString(b, "{\"transport\": {\"oneWayMBps\": 99.5}, \"runs\": ["
                + json.writeValueAsString(runs.get(0).summary()) + ","
                + json.writeValueAsString(runs.get(1).summary()) + "]}");
        Path page = dir.resolve("compare.html");
        PerfToolTest.Outcome o = PerfToolTest.run("report", a.toString(), b.toString(), "--out", page.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("report written to " + page);
        String html = Files.readString(page);
        String data = html.substring(html.indexOf("id=\"rustmq-perf-data\">") + 22, html.indexOf("</script>"));
        List<?> drawn = json.readValue(data, List.class);
        assertThat(drawn).hasSize(3);
        assertThat(html).contains("\"source\":\"a.json\"", "\"source\":\"b.json\"", "\"ceilingMBps\":99.5");
        assertThat(html).as("self-contained: nothing loaded from elsewhere").doesNotContain("<script src", "<link",
                "<img", "url(", "import(", "fetch(");
    }

    @Test
    void loadRefusesFilesThatAreNoSummaryNamingTheFile(@TempDir Path dir) throws IOException {
        Path notJson = dir.resolve("notjson.json");
        Files.writeString(notJson, "produce: 5 records");
        assertThatThrownBy(() -> HtmlReport.load(notJson)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read " + notJson);
        Path transportOnly = dir.resolve("transport.json");
        Files.writeString(transportOnly, "{\"oneWayMBps\": 120.0}");
        assertThatThrownBy(() -> HtmlReport.load(transportOnly)).hasMessageContaining("transport.json is not a"
                + " rustmq-perf summary");
        Path badRun = dir.resolve("bad-run.json");
        Files.writeString(badRun, "{\"runs\": [{\"test\": \"x\"}]}");
        assertThatThrownBy(() -> HtmlReport.load(badRun)).hasMessageContaining("without 'test' and"
                + " 'recordsPerSec'");
        assertThatThrownBy(() -> HtmlReport.render("t", List.of())).hasMessageContaining("at least one run");
    }

    @Test
    void slugsAreFileNameSafe() {
        assertThat(HtmlReport.slug("produce 100 B")).isEqualTo("produce-100-b");
        assertThat(HtmlReport.slug("latency 10k/s")).isEqualTo("latency-10k-s");
        assertThat(HtmlReport.slug("***")).isEqualTo("run");
        assertThat(HtmlReport.slug("a" + File.separator + "b")).isEqualTo("a-b");
    }
}
