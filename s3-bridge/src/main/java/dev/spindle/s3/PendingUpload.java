package dev.spindle.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * What completes or aborts one incomplete multipart upload of a magic part file (see
 * {@link MagicPaths}), stored as a small JSON object beside the attempt's part: the final key,
 * the upload id, the uploaded parts with their ETags once the writer closed, and the bytes written.
 *
 * @param closed whether the writer finished (only a closed upload may be completed)
 */
record PendingUpload(String finalKey, String uploadId, List<CompletedPart> parts, long bytes, boolean closed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    PendingUpload {
        requireNonNull(finalKey, "finalKey is null");
        requireNonNull(uploadId, "uploadId is null");
        parts = List.copyOf(parts);
    }

    byte[] toJson() throws IOException {
        ObjectNode node = JSON.createObjectNode().put("finalKey", finalKey).put("uploadId", uploadId)
                .put("bytes", bytes).put("closed", closed);
        ArrayNode array = node.putArray("parts");
        for (CompletedPart part : parts) {
            array.addObject().put("number", part.partNumber()).put("eTag", part.eTag());
        }
        return JSON.writeValueAsBytes(node);
    }

    static PendingUpload fromJson(byte[] json, String location) throws IOException {
        JsonNode node = JSON.readTree(json);
        if (node == null || !node.path("finalKey").isTextual() || !node.path("uploadId").isTextual()) {
            throw new IOException("Not a pending upload record (finalKey, uploadId): " + location);
        }
        List<CompletedPart> parts = new ArrayList<>();
        for (JsonNode part : node.path("parts")) {
            parts.add(CompletedPart.builder().partNumber(part.path("number").asInt()).eTag(part.path("eTag").asText()).build());
        }
        return new PendingUpload(node.path("finalKey").asText(), node.path("uploadId").asText(), parts,
                node.path("bytes").asLong(), node.path("closed").asBoolean());
    }
}
