package io.rustmq.examples.quarkus;

/**
 * A greeting, sent as JSON.
 *
 * @param name who is greeted
 * @param text the greeting
 */
public record Greeting(String name, String text) {
}
