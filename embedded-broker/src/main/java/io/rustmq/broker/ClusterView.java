package io.rustmq.broker;

import io.rustmq.client.protocol.BrokerInfo;
import io.rustmq.client.protocol.FindCoordinatorResponse;

import java.util.List;

/**
 * What a broker knows of its cluster: the live brokers, each partition's leader and each group's coordinator. A
 * standalone broker is a cluster of one ({@link #single()}); an {@link EmbeddedCluster} gives its brokers one shared
 * view. Implementations must be thread-safe and cheap: {@link #leader} is asked on every Produce.
 */
interface ClusterView {
    /**
     * The brokers listed in Metadata.
     *
     * @param self the asking broker
     * @return the live brokers, in a stable order
     */
    List<BrokerInfo> brokers(BrokerRequestHandler.Identity self);

    /**
     * The leader of a partition that exists.
     *
     * @param self the asking broker
     * @param topic the topic
     * @param partition the partition, within the topic's count
     * @param partitionCount the topic's partition count
     * @return the leader's broker id, or {@code null} when no live broker leads it
     */
    String leader(BrokerRequestHandler.Identity self, String topic, int partition, int partitionCount);

    /**
     * The replicas of a partition, as listed in Metadata.
     *
     * @param self the asking broker
     * @return broker ids
     */
    List<String> replicas(BrokerRequestHandler.Identity self);

    /**
     * The FindCoordinator answer for a group.
     *
     * @param self the asking broker
     * @param groupId the group
     * @return the coordinator
     */
    FindCoordinatorResponse coordinator(BrokerRequestHandler.Identity self, String groupId);

    /**
     * The view of a standalone broker: it is the only broker, leads every partition and coordinates every group,
     * reporting its bind host unchanged in FindCoordinator (spec §6.4).
     *
     * @return the view
     */
    static ClusterView single() {
        return new ClusterView() {
            @Override
            public List<BrokerInfo> brokers(BrokerRequestHandler.Identity self) {
                return List.of(new BrokerInfo(self.brokerId(), self.advertisedHost(), self.port(), 0, ""));
            }

            @Override
            public String leader(BrokerRequestHandler.Identity self, String topic, int partition, int count) {
                return self.brokerId();
            }

            @Override
            public List<String> replicas(BrokerRequestHandler.Identity self) {
                return List.of(self.brokerId());
            }

            @Override
            public FindCoordinatorResponse coordinator(BrokerRequestHandler.Identity self, String groupId) {
                return new FindCoordinatorResponse(self.brokerId(), self.bindHost(), self.port(), 0);
            }
        };
    }
}
