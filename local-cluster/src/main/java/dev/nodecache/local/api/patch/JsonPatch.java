package dev.nodecache.local.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON patch (RFC 6902, {@code application/json-patch+json}): add, remove, replace, move, copy and
 * test, applied in order to a copy, with JSON pointers (RFC 6901: {@code ~1} is "/", {@code ~0} is
 * "~", {@code -} appends to an array). Any failing operation fails the whole patch.
 */
public final class JsonPatch {
  private JsonPatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw InvalidPatch.malformed(
          "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      doc = applyOne(doc, op);
    }
    return doc;
  }

  private static JsonNode applyOne(JsonNode doc, JsonNode op) {
    String name = op.path("op").asText("");
    String path = required(op, "path");
    switch (name) {
      case "add":
        return add(doc, path, value(op));
      case "remove":
        return remove(doc, path);
      case "replace":
        if (path.isEmpty()) {
          return value(op);
        }
        get(doc, path);
        return add(remove(doc, path), path, value(op));
      case "move":
        {
          String from = required(op, "from");
          if (path.startsWith(from + "/")) {
            throw InvalidPatch.unappliable("cannot move " + from + " into its own child " + path);
          }
          JsonNode value = get(doc, from);
          return add(remove(doc, from), path, value);
        }
      case "copy":
        return add(doc, path, get(doc, required(op, "from")).deepCopy());
      case "test":
        if (!equal(get(doc, path), value(op))) {
          throw InvalidPatch.unappliable(
              "testing value " + path + " failed: test operation failed");
        }
        return doc;
      default:
        throw InvalidPatch.malformed("Unexpected kind: " + name);
    }
  }

  private static String required(JsonNode op, String field) {
    JsonNode v = op.get(field);
    if (v == null || !v.isTextual()) {
      throw InvalidPatch.malformed(
          "operation " + op.path("op").asText() + " is missing the \"" + field + "\" string");
    }
    return v.asText();
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw InvalidPatch.malformed(
          "operation " + op.path("op").asText() + " is missing the \"value\" member");
    }
    return op.get("value").deepCopy();
  }

  static List<String> tokens(String pointer) {
    if (pointer.isEmpty()) {
      return List.of();
    }
    if (!pointer.startsWith("/")) {
      throw InvalidPatch.malformed("JSON pointer must be empty or start with a \"/\": " + pointer);
    }
    List<String> out = new ArrayList<>();
    for (String t : pointer.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String path) {
    JsonNode n = doc;
    for (String t : tokens(path)) {
      n = child(n, t, path);
    }
    return n;
  }

  private static JsonNode child(JsonNode n, String token, String path) {
    JsonNode c = null;
    if (n.isObject()) {
      c = n.get(token);
    } else if (n.isArray()) {
      int i = index(token, n.size() - 1, path);
      c = n.get(i);
    }
    if (c == null) {
      throw InvalidPatch.unappliable("doc is missing path: \"" + path + "\"");
    }
    return c;
  }

  private static int index(String token, int max, String path) {
    try {
      int i = Integer.parseInt(token);
      if (i < 0 || i > max || (token.length() > 1 && token.startsWith("0"))) {
        throw InvalidPatch.unappliable("index out of range in \"" + path + "\"");
      }
      return i;
    } catch (NumberFormatException e) {
      throw InvalidPatch.unappliable("not an array index: \"" + token + "\" in \"" + path + "\"");
    }
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = get(doc, pointer(t.subList(0, t.size() - 1)));
    String last = t.get(t.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        a.insert(index(last, a.size(), path), value);
      }
    } else {
      throw InvalidPatch.unappliable("doc is missing path: \"" + path + "\"");
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      throw InvalidPatch.unappliable("cannot remove the whole document");
    }
    JsonNode parent = get(doc, pointer(t.subList(0, t.size() - 1)));
    String last = t.get(t.size() - 1);
    child(parent, last, path);
    if (parent instanceof ObjectNode o) {
      o.remove(last);
    } else {
      ((ArrayNode) parent).remove(Integer.parseInt(last));
    }
    return doc;
  }

  private static String pointer(List<String> tokens) {
    StringBuilder b = new StringBuilder();
    for (String t : tokens) {
      b.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }

  /** JSON equality: numbers by value (1 equals 1.0), objects regardless of member order. */
  static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      var names = a.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!b.has(n) || !equal(a.get(n), b.get(n))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
