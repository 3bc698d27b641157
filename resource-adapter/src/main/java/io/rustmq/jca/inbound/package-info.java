/** Inbound delivery to message-driven beans: the activation spec and the endpoint activation. */
package io.rustmq.jca.inbound;
