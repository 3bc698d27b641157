package io.rustmq.messaging;

/**
 * A JSON test payload.
 *
 * @param customer the key
 * @param sequence the per-customer sequence number
 * @param amount an amount
 */
public record Order(String customer, int sequence, double amount) {
}
