package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the Kubernetes protobuf encoding (magic {@code k8s\0}, a {@code runtime.Unknown} with the
 * type and the object's bytes) of the kinds {@code kubectl create service|configmap|secret|
 * namespace} send, into the JSON the rest of the write path works on. Field numbers are those of
 * k8s.io/api's generated.proto; fields not listed (timestamps, managed fields, status) are skipped,
 * as the API server ignores them on create too. Any other kind is a 415.
 */
final class ProtobufObjects {
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /** How one field is turned into JSON. */
  private enum Kind {
    STRING,
    INT,
    BOOL,
    MESSAGE,
    STRINGS,
    MESSAGES,
    STRING_MAP,
    BYTES_MAP,
    INT_OR_STRING
  }

  private record Field(String name, Kind kind, Map<Integer, Field> message) {
    static Field of(String name, Kind kind) {
      return new Field(name, kind, null);
    }
  }

  private static final Map<Integer, Field> OWNER_REFERENCE =
      Map.of(
          1, Field.of("kind", Kind.STRING),
          3, Field.of("name", Kind.STRING),
          4, Field.of("uid", Kind.STRING),
          5, Field.of("apiVersion", Kind.STRING),
          6, Field.of("controller", Kind.BOOL),
          7, Field.of("blockOwnerDeletion", Kind.BOOL));

  private static final Map<Integer, Field> OBJECT_META =
      Map.of(
          1, Field.of("name", Kind.STRING),
          2, Field.of("generateName", Kind.STRING),
          3, Field.of("namespace", Kind.STRING),
          5, Field.of("uid", Kind.STRING),
          6, Field.of("resourceVersion", Kind.STRING),
          11, Field.of("labels", Kind.STRING_MAP),
          12, Field.of("annotations", Kind.STRING_MAP),
          13, new Field("ownerReferences", Kind.MESSAGES, OWNER_REFERENCE),
          14, Field.of("finalizers", Kind.STRINGS));

  private static final Map<Integer, Field> SERVICE_PORT =
      Map.of(
          1, Field.of("name", Kind.STRING),
          2, Field.of("protocol", Kind.STRING),
          3, Field.of("port", Kind.INT),
          4, Field.of("targetPort", Kind.INT_OR_STRING),
          5, Field.of("nodePort", Kind.INT),
          6, Field.of("appProtocol", Kind.STRING));

  private static final Map<Integer, Field> SERVICE_SPEC =
      Map.ofEntries(
          Map.entry(1, new Field("ports", Kind.MESSAGES, SERVICE_PORT)),
          Map.entry(2, Field.of("selector", Kind.STRING_MAP)),
          Map.entry(3, Field.of("clusterIP", Kind.STRING)),
          Map.entry(4, Field.of("type", Kind.STRING)),
          Map.entry(5, Field.of("externalIPs", Kind.STRINGS)),
          Map.entry(7, Field.of("sessionAffinity", Kind.STRING)),
          Map.entry(10, Field.of("externalName", Kind.STRING)),
          Map.entry(11, Field.of("externalTrafficPolicy", Kind.STRING)),
          Map.entry(13, Field.of("publishNotReadyAddresses", Kind.BOOL)),
          Map.entry(17, Field.of("ipFamilyPolicy", Kind.STRING)),
          Map.entry(18, Field.of("clusterIPs", Kind.STRINGS)),
          Map.entry(19, Field.of("ipFamilies", Kind.STRINGS)),
          Map.entry(22, Field.of("internalTrafficPolicy", Kind.STRING)));

  private static final Map<String, Map<Integer, Field>> KINDS =
      Map.of(
          "Service",
          Map.of(
              1, new Field("metadata", Kind.MESSAGE, OBJECT_META),
              2, new Field("spec", Kind.MESSAGE, SERVICE_SPEC)),
          "ConfigMap",
          Map.of(
              1, new Field("metadata", Kind.MESSAGE, OBJECT_META),
              2, Field.of("data", Kind.STRING_MAP),
              3, Field.of("binaryData", Kind.BYTES_MAP),
              4, Field.of("immutable", Kind.BOOL)),
          "Secret",
          Map.of(
              1, new Field("metadata", Kind.MESSAGE, OBJECT_META),
              2, Field.of("data", Kind.BYTES_MAP),
              3, Field.of("type", Kind.STRING),
              4, Field.of("stringData", Kind.STRING_MAP),
              5, Field.of("immutable", Kind.BOOL)),
          "Namespace",
          Map.of(
              1,
              new Field("metadata", Kind.MESSAGE, OBJECT_META),
              2,
              new Field("spec", Kind.MESSAGE, Map.of(1, Field.of("finalizers", Kind.STRINGS)))));

  private ProtobufObjects() {}

  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.contains("application/vnd.kubernetes.protobuf");
  }

  /** The object as JSON; 415 for a kind it does not read, 400 for bytes that are not protobuf. */
  static ObjectNode decode(byte[] body) {
    if (body.length < 4 || !java.util.Arrays.equals(body, 0, 4, MAGIC, 0, 4)) {
      throw ApiError.badRequest("protobuf body without the k8s envelope");
    }
    try {
      Reader unknown = new Reader(body, 4, body.length);
      String apiVersion = "";
      String kind = "";
      byte[] raw = null;
      while (unknown.more()) {
        int key = unknown.varint32();
        if (key >>> 3 == 1 && (key & 7) == 2) {
          Reader typeMeta = unknown.sub();
          while (typeMeta.more()) {
            int k = typeMeta.varint32();
            if (k >>> 3 == 1 && (k & 7) == 2) {
              apiVersion = typeMeta.string();
            } else if (k >>> 3 == 2 && (k & 7) == 2) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip(k & 7);
            }
          }
        } else if (key >>> 3 == 2 && (key & 7) == 2) {
          raw = unknown.bytes();
        } else {
          unknown.skip(key & 7);
        }
      }
      Map<Integer, Field> schema = KINDS.get(kind);
      if (schema == null || raw == null) {
        throw ApiError.unsupportedMediaType("application/json, application/yaml");
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("apiVersion", apiVersion);
      out.put("kind", kind);
      message(new Reader(raw, 0, raw.length), schema, out);
      return out;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw ApiError.badRequest("malformed protobuf body: " + e.getMessage());
    }
  }

  private static void message(Reader in, Map<Integer, Field> schema, ObjectNode out) {
    while (in.more()) {
      int key = in.varint32();
      Field f = schema.get(key >>> 3);
      int wire = key & 7;
      if (f == null) {
        in.skip(wire);
        continue;
      }
      switch (f.kind()) {
        // Go writes a field's zero value ("", 0, false) where JSON omits it: read as absent.
        case STRING -> putUnlessEmpty(out, f.name(), in.string());
        case INT -> putUnlessZero(out, f.name(), in.varint());
        case BOOL -> {
          if (in.varint() != 0) {
            out.put(f.name(), true);
          }
        }
        case MESSAGE -> message(in.sub(), f.message(), objectIn(out, f.name()));
        case STRINGS -> arrayIn(out, f.name()).add(in.string());
        case MESSAGES -> message(in.sub(), f.message(), arrayIn(out, f.name()).addObject());
        case STRING_MAP, BYTES_MAP -> entry(in.sub(), objectIn(out, f.name()), f.kind());
        case INT_OR_STRING -> intOrString(in.sub(), out, f.name());
      }
    }
  }

  private static void putUnlessEmpty(ObjectNode out, String name, String value) {
    if (!value.isEmpty()) {
      out.put(name, value);
    }
  }

  private static void putUnlessZero(ObjectNode out, String name, long value) {
    if (value != 0) {
      out.put(name, value);
    }
  }

  private static void entry(Reader in, ObjectNode map, Kind kind) {
    String key = "";
    String value = "";
    while (in.more()) {
      int k = in.varint32();
      if (k >>> 3 == 1) {
        key = in.string();
      } else if (k >>> 3 == 2) {
        byte[] v = in.bytes();
        value =
            kind == Kind.BYTES_MAP
                ? Base64.getEncoder().encodeToString(v)
                : new String(v, StandardCharsets.UTF_8);
      } else {
        in.skip(k & 7);
      }
    }
    map.put(key, value);
  }

  private static void intOrString(Reader in, ObjectNode out, String name) {
    long type = 0;
    long intVal = 0;
    String strVal = "";
    while (in.more()) {
      int k = in.varint32();
      switch (k >>> 3) {
        case 1 -> type = in.varint();
        case 2 -> intVal = in.varint();
        case 3 -> strVal = in.string();
        default -> in.skip(k & 7);
      }
    }
    if (type == 1) {
      putUnlessEmpty(out, name, strVal);
    } else {
      putUnlessZero(out, name, (int) intVal);
    }
  }

  private static ObjectNode objectIn(ObjectNode out, String name) {
    return out.get(name) instanceof ObjectNode o ? o : out.putObject(name);
  }

  private static ArrayNode arrayIn(ObjectNode out, String name) {
    return out.get(name) instanceof ArrayNode a ? a : out.putArray(name);
  }

  /** Protocol buffers' wire format, bounds-checked. */
  private static final class Reader {
    private final byte[] b;
    private int at;
    private final int end;

    Reader(byte[] b, int from, int end) {
      this.b = b;
      this.at = from;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= end) {
          throw new IndexOutOfBoundsException("varint past the end");
        }
        byte x = b[at++];
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("varint too long");
    }

    int varint32() {
      return (int) varint();
    }

    Reader sub() {
      int n = length();
      Reader r = new Reader(b, at, at + n);
      at += n;
      return r;
    }

    byte[] bytes() {
      int n = length();
      byte[] out = java.util.Arrays.copyOfRange(b, at, at + n);
      at += n;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    private int length() {
      long n = varint();
      if (n < 0 || n > end - at) {
        throw new IndexOutOfBoundsException("length " + n + " past the end");
      }
      return (int) n;
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> {
          int n = length(); // before at is read: "at += length()" would lose what length() read
          at += n;
        }
        case 5 -> at += 4;
        default -> throw new IllegalArgumentException("wire type " + wire);
      }
      if (at > end) {
        throw new IndexOutOfBoundsException("field past the end");
      }
    }
  }
}
