package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the API server does to a Service on its way in: defaults (type, ports' protocol and
 * targetPort, session affinity, IP family), a ClusterIP allocated from the service range
 * (10.96.0.0/12, as kubeadm's default) and kept on later writes that omit it, and the refusals a
 * user meets (a taken or malformed ClusterIP, a changed one, a port out of range, an ExternalName
 * without a name). EndpointSlices are checked for what cluster DNS reads from them.
 */
final class ServiceAdmission {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RANGE_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
  private static final int RANGE_SIZE = 1 << 20; // /12
  private static final List<String> TYPES =
      List.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

  private final ApiStorage storage;

  /** The next address to try: moving on, so a re-created Service gets a new one (as it does). */
  private int next = 100;

  ServiceAdmission(ApiStorage storage) {
    this.storage = storage;
  }

  /** Defaults and allocation on a new Service ({@code stored} null) or a changed one. */
  void admitService(ResourceKind kind, ObjectNode svc, ObjectNode stored) throws IOException {
    String name = svc.path("metadata").path("name").asText("");
    ObjectNode spec = svc.get("spec") instanceof ObjectNode s ? s : svc.putObject("spec");
    String type = spec.path("type").asText("ClusterIP");
    if (!TYPES.contains(type)) {
      throw WritePath.invalid(
          kind,
          name,
          "FieldValueNotSupported",
          "spec.type",
          "Unsupported value: \"" + type + "\": supported values: " + quoted(TYPES));
    }
    spec.put("type", type);
    if (type.equals("ExternalName")) {
      String external = spec.path("externalName").asText("");
      if (!external.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
          || external.length() > 253) {
        throw WritePath.invalid(
            kind,
            name,
            external.isEmpty() ? "FieldValueRequired" : "FieldValueInvalid",
            "spec.externalName",
            external.isEmpty()
                ? "Required value"
                : "Invalid value: \""
                    + external
                    + "\": a lowercase RFC 1123 subdomain is required");
      }
      // The API server drops what only an IP-based type has.
      spec.remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"));
    } else {
      spec.remove("externalName");
      assignClusterIp(kind, name, svc.path("metadata").path("namespace").asText(""), spec, stored);
    }
    if (!spec.has("sessionAffinity")) {
      spec.put("sessionAffinity", "None");
    }
    ArrayNode ports = spec.get("ports") instanceof ArrayNode p ? p : null;
    if (ports == null || ports.isEmpty()) {
      if (!type.equals("ExternalName") && !"None".equals(spec.path("clusterIP").asText())) {
        throw WritePath.invalid(kind, name, "FieldValueRequired", "spec.ports", "Required value");
      }
      return;
    }
    for (int i = 0; i < ports.size(); i++) {
      if (!(ports.get(i) instanceof ObjectNode p)) {
        throw ApiError.badRequest("spec.ports[" + i + "]: expected an object");
      }
      int port = p.path("port").asInt(0);
      if (port < 1 || port > 65535) {
        throw WritePath.invalid(
            kind,
            name,
            "FieldValueInvalid",
            "spec.ports[" + i + "].port",
            "Invalid value: " + p.path("port") + ": must be between 1 and 65535, inclusive");
      }
      String protocol = p.path("protocol").asText("TCP");
      if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
        throw WritePath.invalid(
            kind,
            name,
            "FieldValueNotSupported",
            "spec.ports[" + i + "].protocol",
            "Unsupported value: \""
                + protocol
                + "\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
      }
      p.put("protocol", protocol);
      if (!p.has("targetPort")) {
        p.put("targetPort", port);
      }
      if (ports.size() > 1 && p.path("name").asText("").isEmpty()) {
        throw WritePath.invalid(
            kind, name, "FieldValueRequired", "spec.ports[" + i + "].name", "Required value");
      }
    }
  }

  private void assignClusterIp(
      ResourceKind kind, String name, String namespace, ObjectNode spec, ObjectNode stored)
      throws IOException {
    String given = spec.path("clusterIP").asText("");
    String before = stored == null ? "" : stored.path("spec").path("clusterIP").asText("");
    if (given.isEmpty() && !before.isEmpty()) {
      given = before; // a write that omits it keeps it, as the API server does
    } else if (!before.isEmpty() && !given.equals(before)) {
      throw WritePath.invalid(
          kind,
          name,
          "FieldValueInvalid",
          "spec.clusterIP",
          "Invalid value: \"" + given + "\": field is immutable");
    }
    if (given.isEmpty()) {
      given = allocate(namespace, name);
    } else if (!given.equals("None") && before.isEmpty()) {
      int ip = parse(given);
      if (ip == -1 || Integer.compareUnsigned(ip - RANGE_BASE, RANGE_SIZE) >= 0) {
        throw WritePath.invalid(
            kind,
            name,
            "FieldValueInvalid",
            "spec.clusterIP",
            "Invalid value: \""
                + given
                + "\": provided IP is not in the valid range. The range of valid IPs is"
                + " 10.96.0.0/12");
      }
      if (taken(namespace, name).contains(given)) {
        throw WritePath.invalid(
            kind,
            name,
            "FieldValueInvalid",
            "spec.clusterIPs",
            "Invalid value: [\""
                + given
                + "\"]: failed to allocate IP "
                + given
                + ": provided IP is already allocated");
      }
    }
    spec.put("clusterIP", given);
    ArrayNode ips = spec.putArray("clusterIPs");
    ips.add(given);
    if (!given.equals("None")) {
      spec.putArray("ipFamilies").add("IPv4");
      spec.put("ipFamilyPolicy", "SingleStack");
    } else if (!spec.has("ipFamilies")) {
      spec.putArray("ipFamilies").add("IPv4");
      spec.put("ipFamilyPolicy", "SingleStack");
    }
  }

  private String allocate(String namespace, String name) throws IOException {
    Set<String> used = taken(namespace, name);
    for (int tries = 0; tries < RANGE_SIZE; tries++) {
      int offset = next;
      next = next + 1 >= RANGE_SIZE - 1 ? 100 : next + 1;
      String ip = text(RANGE_BASE + offset);
      if (!used.contains(ip)) {
        return ip;
      }
    }
    throw ApiError.of(500, "InternalError", "the service IP range 10.96.0.0/12 is full");
  }

  /** The ClusterIPs of every other Service. */
  private Set<String> taken(String namespace, String name) throws IOException {
    ApiStorage.Reply r = storage.get("/api/v1/services");
    Set<String> out = new HashSet<>();
    for (JsonNode s : JSON.readTree(r.body()).path("items")) {
      if (s.path("metadata").path("namespace").asText().equals(namespace)
          && s.path("metadata").path("name").asText().equals(name)) {
        continue;
      }
      for (JsonNode ip : s.path("spec").path("clusterIPs")) {
        out.add(ip.asText());
      }
      out.add(s.path("spec").path("clusterIP").asText());
    }
    return out;
  }

  /** What cluster DNS needs of an EndpointSlice: a known address type, addresses of that type. */
  static void admitSlice(ResourceKind kind, ObjectNode slice) {
    String name = slice.path("metadata").path("name").asText("");
    String type = slice.path("addressType").asText("");
    if (!List.of("IPv4", "IPv6", "FQDN").contains(type)) {
      throw WritePath.invalid(
          kind,
          name,
          type.isEmpty() ? "FieldValueRequired" : "FieldValueNotSupported",
          "addressType",
          type.isEmpty()
              ? "Required value"
              : "Unsupported value: \""
                  + type
                  + "\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"");
    }
    JsonNode endpoints = slice.path("endpoints");
    for (int i = 0; i < endpoints.size(); i++) {
      JsonNode addresses = endpoints.get(i).path("addresses");
      if (addresses.isEmpty() || addresses.size() > 100) {
        throw WritePath.invalid(
            kind,
            name,
            addresses.isEmpty() ? "FieldValueRequired" : "TooMany",
            "endpoints[" + i + "].addresses",
            addresses.isEmpty() ? "Required value" : "Too many: must have at most 100 items");
      }
      for (int j = 0; j < addresses.size(); j++) {
        String a = addresses.get(j).asText("");
        boolean ok =
            switch (type) {
              case "IPv4" -> parse(a) != -1;
              case "IPv6" -> a.contains(":") && isIpv6(a);
              default -> a.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            };
        if (!ok) {
          throw WritePath.invalid(
              kind,
              name,
              "FieldValueInvalid",
              "endpoints[" + i + "].addresses[" + j + "]",
              "Invalid value: \"" + a + "\": must be a valid " + type + " address");
        }
      }
    }
  }

  private static boolean isIpv6(String a) {
    try {
      return java.net.InetAddress.getByName(a) instanceof java.net.Inet6Address; // a literal only
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A dotted-quad IPv4 address as an int, or -1. */
  static int parse(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    int out = 0;
    for (String p : parts) {
      if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
        return -1;
      }
      out = (out << 8) | Integer.parseInt(p);
    }
    return out;
  }

  private static String text(int ip) {
    return (ip >>> 24) + "." + ((ip >>> 16) & 255) + "." + ((ip >>> 8) & 255) + "." + (ip & 255);
  }

  private static String quoted(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (String v : values.stream().sorted().toList()) {
      b.append(b.length() == 0 ? "" : ", ").append('"').append(v).append('"');
    }
    return b.toString();
  }
}
