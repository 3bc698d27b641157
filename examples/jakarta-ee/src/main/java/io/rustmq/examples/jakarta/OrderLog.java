package io.rustmq.examples.jakarta;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

import java.util.ArrayList;
import java.util.List;

/** The last 100 orders received, newest last. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class OrderLog {
    private final List<String> entries = new ArrayList<>();

    /**
     * Records an order.
     *
     * @param entry the description
     */
    public synchronized void add(String entry) {
        entries.add(entry);
        if (entries.size() > 100) {
            entries.remove(0);
        }
    }

    /**
     * The orders recorded.
     *
     * @return a copy
     */
    public synchronized List<String> entries() {
        return new ArrayList<>(entries);
    }
}
