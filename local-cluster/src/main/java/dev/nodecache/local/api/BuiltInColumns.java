package dev.nodecache.local.api;

import static dev.nodecache.local.api.TableColumn.age;
import static dev.nodecache.local.api.TableColumn.number;
import static dev.nodecache.local.api.TableColumn.objectName;
import static dev.nodecache.local.api.TableColumn.text;
import static dev.nodecache.local.api.TableColumn.wide;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The columns the API server prints for the built-in kinds served here (from kube-apiserver's
 * printers), so {@code kubectl get ds}, {@code get events}, {@code get nodes} ... look as on a
 * cluster. Kinds without their own get NAME and CREATED AT, as the API server's default.
 */
final class BuiltInColumns {
  private BuiltInColumns() {}

  static List<TableColumn> forKind(String kind) {
    return switch (kind) {
      case "Pod" ->
          List.of(
              objectName(),
              text("Ready", BuiltInColumns::podReady),
              text("Status", BuiltInColumns::podStatus),
              number("Restarts", BuiltInColumns::restarts),
              age(),
              wide("IP", o -> orElse(o.path("status").path("podIP"), "<none>")),
              wide("Node", o -> orElse(o.path("spec").path("nodeName"), "<none>")),
              wide(
                  "Nominated Node",
                  o -> orElse(o.path("status").path("nominatedNodeName"), "<none>")),
              wide("Readiness Gates", o -> "<none>"));
      case "Node" ->
          List.of(
              objectName(),
              text("Status", BuiltInColumns::nodeStatus),
              text("Roles", BuiltInColumns::nodeRoles),
              age(),
              text(
                  "Version",
                  o -> o.path("status").path("nodeInfo").path("kubeletVersion").asText("")),
              wide("Internal-IP", o -> address(o, "InternalIP")),
              wide("External-IP", o -> address(o, "ExternalIP")),
              wide(
                  "OS-Image",
                  o -> orElse(o.path("status").path("nodeInfo").path("osImage"), "<unknown>")),
              wide(
                  "Kernel-Version",
                  o ->
                      orElse(o.path("status").path("nodeInfo").path("kernelVersion"), "<unknown>")),
              wide(
                  "Container-Runtime",
                  o ->
                      orElse(
                          o.path("status").path("nodeInfo").path("containerRuntimeVersion"),
                          "<unknown>")));
      case "Secret" ->
          List.of(
              objectName(),
              text("Type", o -> o.path("type").asText("Opaque")),
              number("Data", o -> o.path("data").size()),
              age());
      case "ConfigMap" ->
          List.of(
              objectName(),
              number("Data", o -> o.path("data").size() + o.path("binaryData").size()),
              age());
      case "Service" ->
          List.of(
              objectName(),
              text("Type", o -> o.path("spec").path("type").asText("ClusterIP")),
              text("Cluster-IP", o -> orElse(o.path("spec").path("clusterIP"), "<none>")),
              text("External-IP", BuiltInColumns::externalIps),
              text("Port(s)", BuiltInColumns::servicePorts),
              age(),
              wide("Selector", o -> labels(o.path("spec").path("selector"))));
      case "EndpointSlice" ->
          List.of(
              objectName(),
              text("AddressType", o -> o.path("addressType").asText()),
              text("Ports", BuiltInColumns::slicePorts),
              text("Endpoints", BuiltInColumns::sliceEndpoints),
              age());
      case "DaemonSet" ->
          List.of(
              objectName(),
              number("Desired", o -> o.path("status").path("desiredNumberScheduled").asLong()),
              number("Current", o -> o.path("status").path("currentNumberScheduled").asLong()),
              number("Ready", o -> o.path("status").path("numberReady").asLong()),
              number("Up-to-date", o -> o.path("status").path("updatedNumberScheduled").asLong()),
              number("Available", o -> o.path("status").path("numberAvailable").asLong()),
              text(
                  "Node Selector",
                  o -> labels(o.path("spec").path("template").path("spec").path("nodeSelector"))),
              age(),
              wide("Containers", o -> containers(o, "name")),
              wide("Images", o -> containers(o, "image")),
              wide("Selector", o -> labels(o.path("spec").path("selector").path("matchLabels"))));
      case "Deployment" ->
          List.of(
              objectName(),
              text(
                  "Ready",
                  o ->
                      o.path("status").path("readyReplicas").asLong()
                          + "/"
                          + o.path("spec").path("replicas").asLong(1)),
              number("Up-to-date", o -> o.path("status").path("updatedReplicas").asLong()),
              number("Available", o -> o.path("status").path("availableReplicas").asLong()),
              age(),
              wide("Containers", o -> containers(o, "name")),
              wide("Images", o -> containers(o, "image")),
              wide("Selector", o -> labels(o.path("spec").path("selector").path("matchLabels"))));
      case "Namespace" ->
          List.of(
              objectName(),
              text("Status", o -> o.path("status").path("phase").asText("Active")),
              age());
      case "ServiceAccount" ->
          List.of(objectName(), number("Secrets", o -> o.path("secrets").size()), age());
      case "Lease" ->
          List.of(
              objectName(),
              text("Holder", o -> o.path("spec").path("holderIdentity").asText("")),
              age());
      case "Endpoints" ->
          List.of(objectName(), text("Endpoints", BuiltInColumns::endpoints), age());
      case "Event" ->
          List.of(
              text("Last Seen", BuiltInColumns::lastSeen),
              text("Type", o -> o.path("type").asText("")),
              text("Reason", o -> o.path("reason").asText("")),
              text(
                  "Object",
                  o ->
                      o.path("involvedObject").path("kind").asText("").toLowerCase()
                          + "/"
                          + o.path("involvedObject").path("name").asText("")),
              wide("Subobject", o -> o.path("involvedObject").path("fieldPath").asText("")),
              wide("Source", BuiltInColumns::eventSource),
              text("Message", o -> o.path("message").asText("").strip()),
              wide("First Seen", o -> HumanDuration.since(o.path("firstTimestamp").asText(null))),
              wide("Count", o -> String.valueOf(o.path("count").asLong(1))),
              new TableColumn(
                  "Name", "string", "name", 1, o -> o.path("metadata").path("name").asText()));
      case "CustomResourceDefinition" -> createdAt();
      default -> createdAt();
    };
  }

  private static List<TableColumn> createdAt() {
    return List.of(
        objectName(),
        new TableColumn(
            "Created At",
            "date",
            "",
            0,
            o -> o.path("metadata").path("creationTimestamp").asText("")));
  }

  private static String orElse(JsonNode n, String missing) {
    return n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? missing : n.asText();
  }

  private static String podReady(JsonNode pod) {
    JsonNode statuses = pod.path("status").path("containerStatuses");
    int containers = pod.path("spec").path("containers").size();
    if (statuses.size() > 0) {
      int ready = 0;
      for (JsonNode s : statuses) {
        ready += s.path("ready").asBoolean() ? 1 : 0;
      }
      return ready + "/" + containers;
    }
    boolean ready = false;
    for (JsonNode c : pod.path("status").path("conditions")) {
      ready |= c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True");
    }
    return (ready ? containers : 0) + "/" + containers;
  }

  private static String podStatus(JsonNode pod) {
    if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()) {
      return "Terminating";
    }
    return pod.path("status").path("phase").asText("Pending");
  }

  private static long restarts(JsonNode pod) {
    long n = 0;
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      n += s.path("restartCount").asLong();
    }
    return n;
  }

  private static String nodeStatus(JsonNode node) {
    String status = "Unknown";
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        status = c.path("status").asText().equals("True") ? "Ready" : "NotReady";
      }
    }
    return node.path("spec").path("unschedulable").asBoolean()
        ? status + ",SchedulingDisabled"
        : status;
  }

  private static String nodeRoles(JsonNode node) {
    List<String> roles = new ArrayList<>();
    for (Iterator<String> it = node.path("metadata").path("labels").fieldNames(); it.hasNext(); ) {
      String label = it.next();
      if (label.startsWith("node-role.kubernetes.io/")) {
        roles.add(label.substring("node-role.kubernetes.io/".length()));
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode a : node.path("status").path("addresses")) {
      if (a.path("type").asText().equals(type)) {
        return a.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String externalIps(JsonNode svc) {
    List<String> ips = new ArrayList<>();
    svc.path("spec").path("externalIPs").forEach(ip -> ips.add(ip.asText()));
    svc.path("status")
        .path("loadBalancer")
        .path("ingress")
        .forEach(i -> ips.add(i.path("ip").asText(i.path("hostname").asText())));
    if (ips.isEmpty()) {
      return svc.path("spec").path("type").asText().equals("LoadBalancer") ? "<pending>" : "<none>";
    }
    return String.join(",", ips);
  }

  private static String servicePorts(JsonNode svc) {
    List<String> ports = new ArrayList<>();
    for (JsonNode p : svc.path("spec").path("ports")) {
      String port = p.path("port").asText();
      if (p.has("nodePort")) {
        port += ":" + p.path("nodePort").asText();
      }
      ports.add(port + "/" + p.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String slicePorts(JsonNode slice) {
    List<String> ports = new ArrayList<>();
    slice.path("ports").forEach(p -> ports.add(p.path("port").asText()));
    return ports.isEmpty() ? "<unset>" : String.join(",", ports);
  }

  /** As kubectl prints them: the first three addresses, then how many more. */
  private static String sliceEndpoints(JsonNode slice) {
    List<String> all = new ArrayList<>();
    slice.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> all.add(a.asText())));
    if (all.isEmpty()) {
      return "<unset>";
    }
    String shown = String.join(",", all.subList(0, Math.min(3, all.size())));
    return all.size() > 3 ? shown + " + " + (all.size() - 3) + " more..." : shown;
  }

  private static String labels(JsonNode map) {
    List<String> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(e.getKey() + "=" + e.getValue().asText());
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String containers(JsonNode o, String field) {
    List<String> out = new ArrayList<>();
    o.path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .forEach(c -> out.add(c.path(field).asText()));
    return String.join(",", out);
  }

  private static String endpoints(JsonNode ep) {
    List<String> out = new ArrayList<>();
    for (JsonNode subset : ep.path("subsets")) {
      for (JsonNode a : subset.path("addresses")) {
        for (JsonNode p : subset.path("ports")) {
          out.add(a.path("ip").asText() + ":" + p.path("port").asText());
        }
      }
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String lastSeen(JsonNode e) {
    String last = e.path("lastTimestamp").asText(e.path("eventTime").asText(""));
    String since = HumanDuration.since(last);
    long count = e.path("count").asLong(1);
    if (count > 1) {
      return since
          + " (x"
          + count
          + " over "
          + HumanDuration.since(e.path("firstTimestamp").asText(last))
          + ")";
    }
    return since;
  }

  private static String eventSource(JsonNode e) {
    String component =
        e.path("source").path("component").asText(e.path("reportingComponent").asText(""));
    String host = e.path("source").path("host").asText("");
    return host.isEmpty() ? component : component + ", " + host;
  }
}
