package io.rustmq.it.quarkus;

/**
 * An order, sent as JSON.
 *
 * @param id the order id
 * @param product what was ordered
 * @param quantity how many
 */
public record Order(String id, String product, int quantity) {
}
