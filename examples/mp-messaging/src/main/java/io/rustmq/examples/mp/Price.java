package io.rustmq.examples.mp;

/**
 * A price tick, sent as JSON.
 *
 * @param symbol the instrument, also the record key
 * @param tick the tick number per symbol, from 0
 * @param price the price
 */
public record Price(String symbol, int tick, double price) {
}
