package io.rustmq.client.internal.transport;

import io.rustmq.client.protocol.CommitOffsetRequest;
import io.rustmq.client.protocol.ConsumerHeartbeatRequest;
import io.rustmq.client.protocol.JoinGroupRequest;
import io.rustmq.client.protocol.LeaveGroupRequest;
import io.rustmq.client.protocol.MetadataRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoordinatorCacheTest {
    private final CoordinatorCache<String> cache = new CoordinatorCache<>();

    @Test
    void concurrentLookupsOfOneGroupShareOneFindCoordinatorAndTheAnswerIsCached() {
        AtomicInteger finds = new AtomicInteger();
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<String> a = cache.lookUp("g", g -> {
            finds.incrementAndGet();
            return answer;
        });
        CompletableFuture<String> b = cache.lookUp("g", g -> {
            finds.incrementAndGet();
            return CompletableFuture.completedFuture("other");
        });
        answer.complete("broker-1");

        assertThat(a).isCompletedWithValue("broker-1");
        assertThat(b).isCompletedWithValue("broker-1");
        assertThat(finds).hasValue(1);
        assertThat(cache.get("g")).isEqualTo("broker-1");
        assertThat(cache.lookUp("g", g -> CompletableFuture.failedFuture(new AssertionError("cached"))))
                .isCompletedWithValue("broker-1");
    }

    @Test
    void aFailedLookupCachesNothingAndTheNextOneAsksAgain() {
        CompletableFuture<String> failed = cache.lookUp("g",
                g -> CompletableFuture.failedFuture(new IllegalStateException("no broker")));
        assertThat(failed).isCompletedExceptionally();
        assertThat(cache.get("g")).isNull();

        assertThat(cache.lookUp("g", g -> CompletableFuture.completedFuture("b2"))).isCompletedWithValue("b2");
    }

    @Test
    void aFailedCoordinatorIsForgottenOnlyIfItIsStillTheCachedOne() {
        cache.lookUp("g1", g -> CompletableFuture.completedFuture("b1"));
        cache.lookUp("g2", g -> CompletableFuture.completedFuture("b1"));
        cache.lookUp("g3", g -> CompletableFuture.completedFuture("b3"));

        cache.forget("g1", "b3");
        assertThat(cache.get("g1")).isEqualTo("b1");
        cache.forget("g1", "b1");
        assertThat(cache.get("g1")).isNull();

        assertThat(cache.coordinatesAny("b1")).isTrue();
        assertThat(cache.forgetNode("b1")).isTrue();
        assertThat(cache.get("g2")).isNull();
        assertThat(cache.coordinatesAny("b1")).isFalse();
        assertThat(cache.get("g3")).isEqualTo("b3");
    }

    @Test
    void groupOfNamesTheGroupOfEveryGroupRequestAndRefusesOthers() {
        assertThat(CoordinatorCache.groupOf(new JoinGroupRequest("a", "", 1000, List.of("t")))).isEqualTo("a");
        assertThat(CoordinatorCache.groupOf(new ConsumerHeartbeatRequest("b", "m", 1))).isEqualTo("b");
        assertThat(CoordinatorCache.groupOf(new CommitOffsetRequest("c", "m", 1, Map.of()))).isEqualTo("c");
        assertThat(CoordinatorCache.groupOf(new LeaveGroupRequest("d", "m"))).isEqualTo("d");
        assertThatThrownBy(() -> CoordinatorCache.groupOf(new MetadataRequest(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("METADATA");
    }
}
