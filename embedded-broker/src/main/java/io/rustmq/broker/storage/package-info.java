/** Topics and in-memory partition logs with dense offsets, fetch size estimates and producer de-duplication. */
package io.rustmq.broker.storage;
