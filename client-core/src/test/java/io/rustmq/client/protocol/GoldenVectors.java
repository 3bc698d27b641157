package io.rustmq.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the golden vectors produced by the real bincode 1.3.3 crate (a copy of the protocol's vectors.json in the
 * test resources) and turns each vector's JSON {@code value} into the Java record it describes.
 */
final class GoldenVectors {
    /** One vector: its struct name, type byte, payload and frame bytes, and the JSON value. */
    record Vector(String type, int requestTypeByte, String direction, String description, JsonNode value,
                  byte[] payload, byte[] frame, byte[] requestFrame) {
        @Override
        public String toString() {
            return type + ": " + description;
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private GoldenVectors() {
    }

    static List<Vector> all() {
        try (InputStream in = GoldenVectors.class.getResourceAsStream("/protocol/vectors.json")) {
            if (in == null) {
                throw new IllegalStateException("protocol/vectors.json is missing from the test resources");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Vector> out = new ArrayList<>();
            for (JsonNode n : root) {
                out.add(new Vector(n.get("type").asText(),
                        n.get("request_type_byte").isNull() ? -1 : n.get("request_type_byte").asInt(),
                        n.get("direction").asText(), n.get("description").asText(), n.get("value"),
                        HEX.parseHex(n.get("hex").asText()),
                        n.get("frame_hex").isNull() ? null : HEX.parseHex(n.get("frame_hex").asText()),
                        n.has("request_frame_hex") ? HEX.parseHex(n.get("request_frame_hex").asText()) : null));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isRequest(Vector v) {
        return v.direction().equals("request") && !v.type().contains("NOT ON THE WIRE");
    }

    static boolean isResponse(Vector v) {
        return v.direction().equals("response") && v.type().endsWith("Response") && !v.type().equals("ErrorResponse")
                && !v.type().equals("NoResponse");
    }

    /** Builds the request record a request vector's JSON value describes. */
    static Request request(Vector v) {
        JsonNode j = v.value();
        switch (v.type()) {
            case "ProduceRequest":
                return new ProduceRequest(j.get("topic").asText(), u32(j.get("partition_id")),
                        list(j.get("records"), GoldenVectors::record), acks(j.get("acks")), u32(j.get("timeout_ms")));
            case "FetchRequest":
                return new FetchRequest(j.get("topic").asText(), u32(j.get("partition_id")), u64(j.get("fetch_offset")),
                        u32(j.get("max_bytes")), u32(j.get("timeout_ms")));
            case "MetadataRequest":
                return new MetadataRequest(list(j.get("topics"), JsonNode::asText));
            case "FindCoordinatorRequest":
                return new FindCoordinatorRequest(j.get("group_id").asText());
            case "JoinGroupRequest":
                return new JoinGroupRequest(j.get("group_id").asText(), j.get("member_id").asText(),
                        u32(j.get("session_timeout_ms")), list(j.get("topics"), JsonNode::asText));
            case "ConsumerHeartbeatRequest":
                return new ConsumerHeartbeatRequest(j.get("group_id").asText(), j.get("member_id").asText(),
                        u64(j.get("generation_id")));
            case "CommitOffsetRequest":
                return new CommitOffsetRequest(j.get("group_id").asText(), j.get("member_id").asText(),
                        u64(j.get("generation_id")), offsets(j.get("offsets")));
            case "FetchOffsetRequest":
                return new FetchOffsetRequest(j.get("group_id").asText(),
                        list(j.get("topic_partitions"), GoldenVectors::topicPartition));
            case "LeaveGroupRequest":
                return new LeaveGroupRequest(j.get("group_id").asText(), j.get("member_id").asText());
            default:
                throw new IllegalArgumentException("not a request vector: " + v.type());
        }
    }

    /** Builds the response record a response vector's JSON value describes. */
    static Response response(Vector v) {
        JsonNode j = v.value();
        switch (v.type()) {
            case "ProduceResponse":
                return new ProduceResponse(u64(j.get("offset")), u32(j.get("error_code")), optText(j.get("error_message")));
            case "FetchResponse":
                return new FetchResponse(list(j.get("records"), GoldenVectors::record), u64(j.get("high_watermark")),
                        u32(j.get("error_code")), optText(j.get("error_message")));
            case "MetadataResponse":
                return new MetadataResponse(list(j.get("brokers"), b -> new BrokerInfo(b.get("id").asText(),
                        b.get("host").asText(), b.get("port_quic").asInt(), b.get("port_rpc").asInt(),
                        b.get("rack_id").asText())),
                        list(j.get("topics_metadata"), t -> new TopicMetadata(t.get("name").asText(),
                                list(t.get("partitions"), p -> new PartitionMetadata(u32(p.get("partition_id")),
                                        optText(p.get("leader")), list(p.get("replicas"), JsonNode::asText))))));
            case "FindCoordinatorResponse":
                return new FindCoordinatorResponse(j.get("coordinator_broker_id").asText(),
                        j.get("coordinator_host").asText(), j.get("coordinator_port").asInt(), u32(j.get("error_code")));
            case "JoinGroupResponse": {
                Map<String, List<TopicPartition>> assigned = new LinkedHashMap<>();
                for (JsonNode e : j.get("assigned_partitions")) {
                    assigned.put(e.get("key").asText(), list(e.get("value"), GoldenVectors::topicPartition));
                }
                return new JoinGroupResponse(u64(j.get("generation_id")), j.get("member_id").asText(),
                        j.get("leader_id").asText(), assigned, u32(j.get("error_code")));
            }
            case "ConsumerHeartbeatResponse":
                return new ConsumerHeartbeatResponse(u32(j.get("error_code")));
            case "CommitOffsetResponse":
                return new CommitOffsetResponse(u32(j.get("error_code")));
            case "FetchOffsetResponse":
                return new FetchOffsetResponse(offsets(j.get("offsets")), u32(j.get("error_code")));
            case "LeaveGroupResponse":
                return new LeaveGroupResponse(u32(j.get("error_code")));
            default:
                throw new IllegalArgumentException("not a response vector: " + v.type());
        }
    }

    static AcknowledgmentLevel acks(JsonNode j) {
        int index = j.get("index").asInt();
        return index == 4 ? AcknowledgmentLevel.custom(u64(j.get("value")))
                : new AcknowledgmentLevel(AcknowledgmentLevel.Kind.values()[index], 0);
    }

    private static WireRecord record(JsonNode r) {
        return new WireRecord(r.get("key").isNull() ? null : bytes(r.get("key")), bytes(r.get("value")),
                list(r.get("headers"), h -> new WireHeader(h.get("key").asText(), bytes(h.get("value")))),
                u64(r.get("timestamp")));
    }

    private static TopicPartition topicPartition(JsonNode j) {
        return new TopicPartition(j.get("topic").asText(), u32(j.get("partition")));
    }

    private static Map<TopicPartition, Long> offsets(JsonNode j) {
        Map<TopicPartition, Long> map = new LinkedHashMap<>();
        for (JsonNode e : j) {
            map.put(topicPartition(e.get("key")), u64(e.get("value")));
        }
        return map;
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }

    private static byte[] bytes(JsonNode j) {
        return HEX.parseHex(j.get("hex").asText());
    }

    private static String optText(JsonNode j) {
        return j == null || j.isNull() ? null : j.asText();
    }

    private static int u32(JsonNode j) {
        return (int) j.asLong();
    }

    private static long u64(JsonNode j) {
        String s = j.asText();
        return s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
    }
}
