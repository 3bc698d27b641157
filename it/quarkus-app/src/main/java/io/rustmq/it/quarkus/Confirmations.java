package io.rustmq.it.quarkus;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads confirmations from {@code confirmations} in batches and remembers the distinct order ids. */
@ApplicationScoped
public class Confirmations {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    /**
     * Records a batch of confirmations ({@code id:quantity} lines).
     *
     * @param batch the records of one poll
     */
    @Incoming("confirmations-in")
    public void record(List<String> batch) {
        for (String line : batch) {
            ids.add(line.substring(0, line.indexOf(':')));
        }
    }

    /**
     * The distinct orders confirmed so far whose id starts with a prefix.
     *
     * @param prefix the id prefix, empty for all
     * @return the count
     */
    public int count(String prefix) {
        return (int) ids.stream().filter(id -> id.startsWith(prefix)).count();
    }
}
