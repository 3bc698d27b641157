package io.rustmq.jca.outbound;

import io.rustmq.client.ClientConfig;
import io.rustmq.client.ConfigurationException;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.producer.AckLevel;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.jca.ClientProperties;
import io.rustmq.jca.RustMQResourceAdapter;
import io.rustmq.jca.api.RustMQConnection;
import io.rustmq.jca.api.RustMQConnectionFactory;
import io.rustmq.jca.api.RustMQResourceException;
import io.rustmq.jca.internal.ClientRegistry;
import io.rustmq.jca.internal.SharedClient;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;

import javax.security.auth.Subject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Creates managed connections to RustMQ. Its properties are the client's ({@link ClientProperties}, falling back to
 * the resource adapter's) and the producer's, named as the {@link ProducerConfig} fields; durations in milliseconds.
 * All managed connections of one configuration share one {@link io.rustmq.client.RustMQClient}. Transactions: none
 * (RustMQ has none). {@code equals}/{@code hashCode} cover every property, as the Connector Architecture requires.
 */
@ConnectionDefinition(connectionFactory = RustMQConnectionFactory.class,
        connectionFactoryImpl = RustMQConnectionFactoryImpl.class,
        connection = RustMQConnection.class,
        connectionImpl = RustMQConnectionHandle.class)
public class RustMQManagedConnectionFactory extends ClientProperties implements ManagedConnectionFactory,
        ResourceAdapterAssociation, ValidatingManagedConnectionFactory, TransactionSupport {
    private static final long serialVersionUID = 1L;

    private Integer batchSize;
    private Integer batchBytes;
    private Long lingerTime;
    private Long batchTimeout;
    private Integer maxMessageSize;
    private String ackLevel;
    private Boolean idempotent;
    private String compression;
    private Integer maxInFlightPerPartition;
    private Long bufferMemory;
    private Long maxBlockTime;
    private Long deliveryTimeout;

    private transient RustMQResourceAdapter resourceAdapter;
    private transient ClientRegistry ownRegistry;
    private transient PrintWriter logWriter;

    /** Creates the factory; the container sets its properties. */
    public RustMQManagedConnectionFactory() {
    }

    /**
     * Creates the application-facing connection factory.
     *
     * @param cm the container's connection manager
     * @return a {@link RustMQConnectionFactory}
     */
    @Override
    public Object createConnectionFactory(ConnectionManager cm) {
        return new RustMQConnectionFactoryImpl(this, cm);
    }

    /**
     * Creates a connection factory for use outside a container, with a connection manager that opens a connection
     * per request.
     *
     * @return a {@link RustMQConnectionFactory}
     */
    @Override
    public Object createConnectionFactory() {
        return new RustMQConnectionFactoryImpl(this, new UnpooledConnectionManager());
    }

    /**
     * Opens a managed connection on the configuration's shared client, after a health check (so a pool never holds a
     * connection that never worked).
     *
     * @param subject ignored (RustMQ authenticates with TLS client certificates)
     * @param info ignored
     * @return the managed connection
     * @throws InvalidPropertyException if a property is invalid; the message names it
     * @throws RustMQResourceException if no broker answers; the message names the brokers
     */
    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        ClientRegistry.Key key = key();
        SharedClient client;
        try {
            client = registry().acquire(key);
        } catch (RuntimeException e) {
            throw new RustMQResourceException("cannot create a RustMQ client for brokers "
                    + key.clientConfig().brokers() + ": " + e.getMessage(), e);
        }
        try {
            client.client().healthCheck();
        } catch (RuntimeException e) {
            registry().markBroken(client);
            registry().release(client);
            throw new RustMQResourceException("cannot connect to RustMQ brokers " + key.clientConfig().brokers()
                    + ": " + e.getMessage(), e);
        }
        return new RustMQManagedConnection(this, client);
    }

    /**
     * Any of the candidates that belongs to this factory and is not broken: every connection of one configuration is
     * interchangeable.
     *
     * @param candidates the pool's candidates
     * @param subject ignored
     * @param info ignored
     * @return a match or null
     */
    @Override
    public ManagedConnection matchManagedConnections(@SuppressWarnings("rawtypes") Set candidates, Subject subject,
                                                     ConnectionRequestInfo info) {
        for (Object o : candidates) {
            if (o instanceof RustMQManagedConnection mc && mc.factory().equals(this) && !mc.isBroken()) {
                return mc;
            }
        }
        return null;
    }

    /**
     * The connections whose broker does not answer a health check.
     *
     * @param connections the pool's connections
     * @return the invalid ones
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set connections) {
        Set invalid = new HashSet();
        for (Object o : connections) {
            if (o instanceof RustMQManagedConnection mc && !mc.isValid()) {
                invalid.add(mc);
            }
        }
        return invalid;
    }

    /**
     * No transactions: RustMQ has none.
     *
     * @return {@link TransactionSupportLevel#NoTransaction}
     */
    @Override
    public TransactionSupportLevel getTransactionSupport() {
        return TransactionSupportLevel.NoTransaction;
    }

    /**
     * Validates the properties and builds the client configuration (with the adapter's defaults).
     *
     * @return the configuration
     * @throws InvalidPropertyException naming the bad property
     */
    public ClientConfig clientConfig() throws InvalidPropertyException {
        return key().clientConfig();
    }

    ClientRegistry.Key key() throws InvalidPropertyException {
        try {
            return new ClientRegistry.Key(toClientConfig(resourceAdapter), producerConfig());
        } catch (ConfigurationException e) {
            InvalidPropertyException ipe = new InvalidPropertyException(e.getMessage(), e);
            throw ipe;
        }
    }

    /**
     * Builds the producer configuration from the producer properties.
     *
     * @return the configuration
     * @throws ConfigurationException naming the bad property
     */
    public ProducerConfig producerConfig() {
        ProducerConfig.Builder b = ProducerConfig.builder();
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (batchBytes != null) {
            b.batchBytes(batchBytes);
        }
        if (lingerTime != null) {
            b.lingerTime(Duration.ofMillis(lingerTime));
        }
        if (batchTimeout != null) {
            b.batchTimeout(Duration.ofMillis(batchTimeout));
        }
        if (maxMessageSize != null) {
            b.maxMessageSize(maxMessageSize);
        }
        if (ackLevel != null) {
            b.ackLevel(parseAckLevel(ackLevel));
        }
        if (idempotent != null) {
            b.idempotent(idempotent);
        }
        if (compression != null) {
            try {
                b.compression(Compression.valueOf(compression.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("compression", compression, "must be none, lz4, zstd or gzip");
            }
        }
        if (maxInFlightPerPartition != null) {
            b.maxInFlightPerPartition(maxInFlightPerPartition);
        }
        if (bufferMemory != null) {
            b.bufferMemory(bufferMemory);
        }
        if (maxBlockTime != null) {
            b.maxBlockTime(Duration.ofMillis(maxBlockTime));
        }
        if (deliveryTimeout != null) {
            b.deliveryTimeout(Duration.ofMillis(deliveryTimeout));
        }
        return b.build();
    }

    private static AckLevel parseAckLevel(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "none":
                return AckLevel.NONE;
            case "leader":
                return AckLevel.LEADER;
            case "majority":
                return AckLevel.MAJORITY;
            case "all":
                return AckLevel.ALL;
            default:
                try {
                    return AckLevel.custom(Long.parseLong(v));
                } catch (RuntimeException e) {
                    throw new ConfigurationException("ackLevel", s,
                            "must be none, leader, majority, all or a replica count");
                }
        }
    }

    ClientRegistry registry() {
        if (resourceAdapter != null) {
            return resourceAdapter.registry();
        }
        synchronized (this) {
            if (ownRegistry == null) {
                ownRegistry = new ClientRegistry();
            }
            return ownRegistry;
        }
    }

    /**
     * The associated resource adapter.
     *
     * @return the adapter, or null outside a container
     */
    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    /**
     * Associates the resource adapter (whose properties are the defaults).
     *
     * @param ra a {@link RustMQResourceAdapter}
     * @throws ResourceException if it is another kind of adapter
     */
    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof RustMQResourceAdapter r)) {
            throw new ResourceException("not a RustMQ resource adapter: " + ra);
        }
        this.resourceAdapter = r;
    }

    /**
     * The container's log writer.
     *
     * @return the writer, possibly null
     */
    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /**
     * Sets the container's log writer (logging goes to {@link System.Logger}).
     *
     * @param out the writer
     */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /**
     * Every property by name, client and producer.
     *
     * @return name to value, unset ones as null
     */
    public Map<String, Object> properties() {
        Map<String, Object> m = new LinkedHashMap<>(clientProperties());
        m.put("batchSize", batchSize);
        m.put("batchBytes", batchBytes);
        m.put("lingerTime", lingerTime);
        m.put("batchTimeout", batchTimeout);
        m.put("maxMessageSize", maxMessageSize);
        m.put("ackLevel", ackLevel);
        m.put("idempotent", idempotent);
        m.put("compression", compression);
        m.put("maxInFlightPerPartition", maxInFlightPerPartition);
        m.put("bufferMemory", bufferMemory);
        m.put("maxBlockTime", maxBlockTime);
        m.put("deliveryTimeout", deliveryTimeout);
        return m;
    }

    /**
     * Equal if the same class with equal properties (the associated adapter is not compared, per the spec).
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RustMQManagedConnectionFactory other && getClass() == other.getClass()
                && properties().equals(other.properties());
    }

    /**
     * Hash over every property.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(properties());
    }

    /**
     * The factory with its properties.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "RustMQManagedConnectionFactory" + properties();
    }

    /** @return messages per batch, or null if unset */
    public Integer getBatchSize() {
        return batchSize;
    }

    /** @param batchSize messages per batch */
    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    /** @return bytes per batch, or null if unset */
    public Integer getBatchBytes() {
        return batchBytes;
    }

    /** @param batchBytes bytes per batch */
    public void setBatchBytes(Integer batchBytes) {
        this.batchBytes = batchBytes;
    }

    /** @return linger time in milliseconds, or null if unset */
    public Long getLingerTime() {
        return lingerTime;
    }

    /** @param lingerTime linger time in milliseconds */
    public void setLingerTime(Long lingerTime) {
        this.lingerTime = lingerTime;
    }

    /** @return batch request timeout in milliseconds, or null if unset */
    public Long getBatchTimeout() {
        return batchTimeout;
    }

    /** @param batchTimeout batch request timeout in milliseconds */
    public void setBatchTimeout(Long batchTimeout) {
        this.batchTimeout = batchTimeout;
    }

    /** @return largest message in bytes, or null if unset */
    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    /** @param maxMessageSize largest message in bytes */
    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** @return none, leader, majority, all or a replica count; null if unset */
    public String getAckLevel() {
        return ackLevel;
    }

    /** @param ackLevel none, leader, majority, all or a replica count */
    public void setAckLevel(String ackLevel) {
        this.ackLevel = ackLevel;
    }

    /** @return whether sends are idempotent, or null if unset */
    public Boolean getIdempotent() {
        return idempotent;
    }

    /** @param idempotent whether sends are idempotent */
    public void setIdempotent(Boolean idempotent) {
        this.idempotent = idempotent;
    }

    /** @return none, lz4, zstd or gzip; null if unset */
    public String getCompression() {
        return compression;
    }

    /** @param compression none, lz4, zstd or gzip */
    public void setCompression(String compression) {
        this.compression = compression;
    }

    /** @return requests in flight per partition, or null if unset */
    public Integer getMaxInFlightPerPartition() {
        return maxInFlightPerPartition;
    }

    /** @param maxInFlightPerPartition requests in flight per partition */
    public void setMaxInFlightPerPartition(Integer maxInFlightPerPartition) {
        this.maxInFlightPerPartition = maxInFlightPerPartition;
    }

    /** @return buffer memory in bytes, or null if unset */
    public Long getBufferMemory() {
        return bufferMemory;
    }

    /** @param bufferMemory buffer memory in bytes */
    public void setBufferMemory(Long bufferMemory) {
        this.bufferMemory = bufferMemory;
    }

    /** @return most time a send blocks for buffer memory, in milliseconds; null if unset */
    public Long getMaxBlockTime() {
        return maxBlockTime;
    }

    /** @param maxBlockTime most time a send blocks for buffer memory, in milliseconds */
    public void setMaxBlockTime(Long maxBlockTime) {
        this.maxBlockTime = maxBlockTime;
    }

    /** @return delivery timeout in milliseconds, or null if unset */
    public Long getDeliveryTimeout() {
        return deliveryTimeout;
    }

    /** @param deliveryTimeout delivery timeout in milliseconds */
    public void setDeliveryTimeout(Long deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    /** @return the effective brokers for messages, or the raw property if invalid */
    String getBrokersOrDefault() {
        try {
            return String.valueOf(toClientConfig(resourceAdapter).brokers());
        } catch (RuntimeException e) {
            return String.valueOf(getBrokers());
        }
    }
}
