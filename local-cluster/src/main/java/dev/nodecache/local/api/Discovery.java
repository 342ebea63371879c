package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents kubectl reads before anything else: /version, /api, /apis and each
 * group-version's APIResourceList, built from the kinds served (so a CRD appears once stored).
 */
final class Discovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final ServedKinds kinds;

  Discovery(ServedKinds kinds) {
    this.kinds = kinds;
  }

  static ObjectNode version() {
    ObjectNode v = JSON.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0-nodecache-local");
    v.put("platform", "linux/amd64");
    return v;
  }

  static ObjectNode apiVersions(int port) {
    ObjectNode v = JSON.createObjectNode();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ObjectNode cidr = v.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", "127.0.0.1:" + port);
    return v;
  }

  /** Group name to its versions, in the order served. */
  private Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (ResourceKind k : kinds.all()) {
      if (!k.group().isEmpty()) {
        List<String> versions = groups.computeIfAbsent(k.group(), g -> new java.util.ArrayList<>());
        if (!versions.contains(k.version())) {
          versions.add(k.version());
        }
      }
    }
    return groups;
  }

  /** Every group-version served, as "api/v1" or "apis/GROUP/VERSION". */
  List<String> groupVersionPaths() {
    List<String> out = new java.util.ArrayList<>();
    out.add("api/v1");
    groups().forEach((g, versions) -> versions.forEach(v -> out.add("apis/" + g + "/" + v)));
    return out;
  }

  ObjectNode apiGroups() {
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    groups()
        .forEach(
            (name, versions) -> {
              ObjectNode g = groups.addObject();
              g.put("name", name);
              ArrayNode vs = g.putArray("versions");
              for (String v : versions) {
                vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
              }
              g.set("preferredVersion", vs.get(0).deepCopy());
            });
    return list;
  }

  /** The APIResourceList of "/api/v1" or "/apis/GROUP/VERSION", or null if not served. */
  ObjectNode resources(String path) {
    String groupVersion = path.equals("/api/v1") ? "v1" : path.substring("/apis/".length());
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (ResourceKind k : kinds.all()) {
      if (!k.apiVersion().equals(groupVersion)) {
        continue;
      }
      ObjectNode r = resources.addObject();
      r.put("name", k.plural());
      r.put("singularName", k.singular());
      r.put("namespaced", k.namespaced());
      r.put("kind", k.kind());
      ArrayNode verbs = r.putArray("verbs");
      VERBS.forEach(verbs::add);
      ArrayNode shortNames = r.putArray("shortNames");
      k.shortNames().forEach(shortNames::add);
      if (k.statusSubresource()) {
        ObjectNode s = resources.addObject();
        s.put("name", k.plural() + "/status");
        s.put("singularName", "");
        s.put("namespaced", k.namespaced());
        s.put("kind", k.kind());
        s.putArray("verbs").add("get").add("patch").add("update");
      }
      if (k.plural().equals("pods")) {
        ObjectNode s = resources.addObject();
        s.put("name", "pods/log");
        s.put("singularName", "");
        s.put("namespaced", true);
        s.put("kind", "Pod");
        s.putArray("verbs").add("get");
        ObjectNode proxy = resources.addObject();
        proxy.put("name", "pods/proxy");
        proxy.put("singularName", "");
        proxy.put("namespaced", true);
        proxy.put("kind", "PodProxyOptions");
        proxy.putArray("verbs").add("create").add("delete").add("get").add("patch").add("update");
      }
    }
    return resources.isEmpty() ? null : list;
  }
}
