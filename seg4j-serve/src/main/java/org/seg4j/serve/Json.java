package org.seg4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** The server's JSON: one Jackson mapper, UTF-8 bytes, snake_case keys written as such. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A new empty object. */
  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The error body {@code {"error":message,"status":status}}. */
  static ObjectNode error(String message, int status) {
    ObjectNode n = object();
    n.put("error", message);
    n.put("status", status);
    return n;
  }

  /** A value (a node, a map, a record) as UTF-8 JSON on one line. */
  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
