package io.rustmq.it.jakarta.app;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the test application's message-driven beans received, per topic, in arrival order; read by the servlet. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Recorder {
    private final Map<String, List<String>> lines = new ConcurrentHashMap<>();

    /**
     * Records one line for a topic.
     *
     * @param topic the topic
     * @param line what was received
     */
    public void record(String topic, String line) {
        lines.computeIfAbsent(topic, t -> Collections.synchronizedList(new ArrayList<>())).add(line);
    }

    /**
     * The lines recorded for a topic.
     *
     * @param topic the topic
     * @return a copy, in arrival order
     */
    public List<String> lines(String topic) {
        List<String> l = lines.get(topic);
        if (l == null) {
            return List.of();
        }
        synchronized (l) {
            return new ArrayList<>(l);
        }
    }
}
