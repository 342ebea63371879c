package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the real kubectl needs in front of the fabric8 mock API server: the discovery documents
 * (/version, /api, /apis, /api/v1, /apis/GROUP/VERSION, built from the kinds served and the CRDs
 * stored), an OpenAPI stub, server-side Table output for the custom resources (so `kubectl get
 * dcp` shows the CRD's printer columns), and /status requests without the query string the mock
 * mishandles. Everything else, watches included, is passed through.
 */
public final class KubeApiFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeApiFront.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HOP_HEADERS =
      Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "expect",
          "keep-alive");

  /** A built-in kind the local cluster serves. */
  private record Kind(String group, String version, String plural, String singular,
      String kind, boolean namespaced, List<String> shortNames, boolean status) {}

  private static final List<Kind> BUILT_IN = List.of(
      new Kind("", "v1", "namespaces", "namespace", "Namespace", false, List.of("ns"), true),
      new Kind("", "v1", "nodes", "node", "Node", false, List.of("no"), true),
      new Kind("", "v1", "pods", "pod", "Pod", true, List.of("po"), true),
      new Kind("", "v1", "services", "service", "Service", true, List.of("svc"), true),
      new Kind("", "v1", "configmaps", "configmap", "ConfigMap", true, List.of("cm"), false),
      new Kind("", "v1", "secrets", "secret", "Secret", true, List.of(), false),
      new Kind("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true,
          List.of("sa"), false),
      new Kind("", "v1", "events", "event", "Event", true, List.of("ev"), false),
      new Kind("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, List.of("ds"), true),
      new Kind("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"),
          true),
      new Kind("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), false),
      new Kind("apiextensions.k8s.io", "v1", "customresourcedefinitions",
          "customresourcedefinition", "CustomResourceDefinition", false, List.of("crd", "crds"),
          true));

  private final HttpServer server;
  private final URI backend;
  private final KubernetesClient client;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public KubeApiFront(InetSocketAddress at, URI backend, KubernetesClient client)
      throws IOException {
    this.backend = backend;
    this.client = client;
    this.server = HttpServer.create(at, 128);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kube-api-front");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try {
      String path = x.getRequestURI().getPath();
      boolean get = x.getRequestMethod().equals("GET");
      if (get && path.equals("/version")) {
        json(x, 200, version());
      } else if (get && path.equals("/api")) {
        json(x, 200, apiVersions());
      } else if (get && path.equals("/apis")) {
        json(x, 200, apiGroups());
      } else if (get && (path.equals("/api/v1") || isGroupVersion(path))) {
        ObjectNode resources = resources(path);
        if (resources == null) {
          json(x, 404, status(404, "NotFound", "the server could not find " + path));
        } else {
          json(x, 200, resources);
        }
      } else if (get && path.equals("/openapi/v3")) {
        json(x, 200, openApiRoot());
      } else if (get && path.startsWith("/openapi/v3/")) {
        ObjectNode doc = openApi(path.substring("/openapi/v3/".length()));
        json(x, doc == null ? 404 : 200, doc == null ? status(404, "NotFound", path) : doc);
      } else if (get && path.startsWith("/openapi/")) {
        json(x, 404, status(404, "NotFound", "only OpenAPI v3 is served"));
      } else {
        forward(x);
      }
    } catch (Exception e) {
      log.warn("{} {}: {}", x.getRequestMethod(), x.getRequestURI(), e.toString());
      json(x, 500, status(500, "InternalError", String.valueOf(e.getMessage())));
    } finally {
      x.close();
    }
  }

  private static boolean isGroupVersion(String path) {
    return path.startsWith("/apis/") && path.split("/").length == 4;
  }

  private void forward(HttpExchange x) throws IOException, InterruptedException {
    URI uri = x.getRequestURI();
    String query = uri.getRawQuery();
    if (x.getRequestMethod().equals("GET") && query != null
        && (query.contains("watch=true") || query.contains("watch=1"))) {
      watch(x, uri);
      return;
    }
    if (uri.getPath().endsWith("/status")) {
      query = null; // the mock does not route /status with a query string (fieldManager=...)
    }
    String accept = x.getRequestHeaders().getFirst("Accept");
    boolean table = accept != null && accept.contains("as=Table")
        && (isCustomResource(uri) || isPods(uri)) && x.getRequestMethod().equals("GET");
    URI target = backend.resolve(uri.getRawPath() + (query == null ? "" : "?" + query));
    HttpRequest.Builder b = HttpRequest.newBuilder(target)
        .method(x.getRequestMethod(), x.getRequestMethod().equals("GET")
            || x.getRequestMethod().equals("DELETE") && x.getRequestHeaders()
                .getFirst("Content-Length") == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(x.getRequestBody().readAllBytes()));
    x.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.equalsIgnoreCase("accept")) {
        values.forEach(v -> b.header(name, v));
      }
    });
    b.header("Accept", "application/json");
    HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (table && r.statusCode() == 200) {
      JsonNode body = JSON.readTree(r.body());
      json(x, 200, isPods(uri) ? Tables.pods(body) : Tables.of(body, columns(uri)));
      return;
    }
    r.headers().map().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
        x.getResponseHeaders().put(name, values);
      }
    });
    boolean stream = query != null && query.contains("watch=");
    long length = r.headers().firstValueAsLong("content-length").orElse(-1);
    x.sendResponseHeaders(r.statusCode(), stream || length < 0 ? 0 : length == 0 ? -1 : length);
    try (InputStream in = r.body(); OutputStream out = x.getResponseBody()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (stream) {
          out.flush(); // each watch event reaches kubectl at once
        }
      }
    }
  }

  private static boolean isPods(URI uri) {
    return uri.getPath().startsWith("/api/v1/") && uri.getPath().endsWith("/pods");
  }

  /**
   * kubectl watches over a plain HTTP stream; the mock serves watches only over WebSocket. So
   * the watch is made with the client and its events written out as JSON lines (as Tables when
   * kubectl asked for them).
   */
  private void watch(HttpExchange x, URI uri) throws IOException, InterruptedException {
    String[] p = uri.getPath().substring(1).split("/");
    // api/v1[/namespaces/NS]/PLURAL  or  apis/GROUP/VERSION[/namespaces/NS]/PLURAL
    int at = p[0].equals("api") ? 2 : 3;
    String group = p[0].equals("api") ? "" : p[1];
    String version = p[0].equals("api") ? p[1] : p[2];
    String namespace = null;
    if (p.length > at + 1 && p[at].equals("namespaces")) {
      namespace = p[at + 1];
      at += 2;
    }
    if (p.length != at + 1) {
      json(x, 400, status(400, "BadRequest", "cannot watch " + uri.getPath()));
      return;
    }
    String plural = p[at];
    String accept = x.getRequestHeaders().getFirst("Accept");
    boolean table = accept != null && accept.contains("as=Table");
    List<CustomResourceColumnDefinition> columns = table ? columns(uri) : List.of();
    boolean pods = isPods(uri);
    var context = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withPlural(plural)
        .withNamespaced(namespace != null).build();
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, 0);
    OutputStream out = x.getResponseBody();
    java.util.concurrent.CountDownLatch over = new java.util.concurrent.CountDownLatch(1);
    var resources = client.genericKubernetesResources(context);
    var scoped = namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
    io.fabric8.kubernetes.client.Watch w = scoped.watch(
        new io.fabric8.kubernetes.client.Watcher<io.fabric8.kubernetes.api.model.GenericKubernetesResource>() {
          @Override
          public void eventReceived(Action action,
              io.fabric8.kubernetes.api.model.GenericKubernetesResource resource) {
            JsonNode object = JSON.valueToTree(resource);
            if (table) {
              object = pods ? Tables.pods(object) : Tables.of(object, columns);
            }
            ObjectNode event = JSON.createObjectNode();
            event.put("type", action.name());
            event.set("object", object);
            try {
              synchronized (out) {
                out.write(JSON.writeValueAsBytes(event));
                out.write('\n');
                out.flush();
              }
            } catch (IOException e) {
              over.countDown(); // kubectl went away
            }
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            over.countDown();
          }
        });
    try {
      over.await();
    } finally {
      w.close();
      out.close();
    }
  }

  private static boolean isCustomResource(URI uri) {
    return uri.getPath().startsWith("/apis/nodecache.dev/");
  }

  private List<CustomResourceColumnDefinition> columns(URI uri) {
    for (CustomResourceDefinition crd : crds()) {
      if (uri.getPath().contains("/" + crd.getSpec().getNames().getPlural())) {
        return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
      }
    }
    return List.of();
  }

  private List<CustomResourceDefinition> crds() {
    return client.apiextensions().v1().customResourceDefinitions().list().getItems();
  }

  /** Every group-version served, as "api/v1" or "apis/GROUP/VERSION". */
  private List<String> groupVersions() {
    List<String> out = new java.util.ArrayList<>();
    out.add("api/v1");
    BUILT_IN.stream().map(Kind::group).filter(g -> !g.isEmpty()).distinct()
        .forEach(g -> out.add("apis/" + g + "/v1"));
    for (CustomResourceDefinition crd : crds()) {
      out.add("apis/" + crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0)
          .getName());
    }
    return out;
  }

  private ObjectNode openApiRoot() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode paths = root.putObject("paths");
    for (String gv : groupVersions()) {
      paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv);
    }
    return root;
  }

  /**
   * Just enough OpenAPI v3 for kubectl: each resource's PATCH operation with its group-version-
   * kind and the fieldValidation parameter, so kubectl leaves validation to the server (here
   * the CRD's schema was checked when the operator's model was built) instead of asking for
   * the full schemas.
   */
  private ObjectNode openApi(String groupVersion) {
    ObjectNode resources = resources("/" + groupVersion);
    if (resources == null) {
      return null;
    }
    String[] gv = groupVersion.startsWith("api/") ? new String[] {"", "v1"}
        : groupVersion.substring("apis/".length()).split("/");
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "NodeCache local cluster").put("version", gv[1]);
    ObjectNode paths = doc.putObject("paths");
    for (JsonNode r : resources.get("resources")) {
      String name = r.get("name").asText();
      if (name.contains("/")) {
        continue;
      }
      String prefix = "/" + groupVersion + (r.get("namespaced").asBoolean()
          ? "/namespaces/{namespace}/" : "/") + name;
      for (String path : List.of(prefix, prefix + "/{name}")) {
        ObjectNode item = paths.putObject(path);
        for (String verb : List.of("post", "put", "patch")) {
          if (verb.equals("post") == path.endsWith("{name}")) {
            continue;
          }
          ObjectNode op = item.putObject(verb);
          ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
          gvk.put("group", gv[0]);
          gvk.put("version", gv[1]);
          gvk.put("kind", r.get("kind").asText());
          ObjectNode param = op.putArray("parameters").addObject();
          param.put("name", "fieldValidation");
          param.put("in", "query");
          param.putObject("schema").put("type", "string");
          op.putObject("responses").putObject("200").put("description", "OK");
        }
      }
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private ObjectNode version() {
    ObjectNode v = JSON.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0-nodecache-local");
    v.put("platform", "linux/amd64");
    return v;
  }

  private ObjectNode apiVersions() {
    ObjectNode v = JSON.createObjectNode();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ObjectNode cidr = v.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", "127.0.0.1:" + port());
    return v;
  }

  private ObjectNode apiGroups() {
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    BUILT_IN.stream().map(Kind::group).filter(g -> !g.isEmpty()).distinct()
        .forEach(g -> addGroup(groups, g, "v1"));
    for (CustomResourceDefinition crd : crds()) {
      addGroup(groups, crd.getSpec().getGroup(), crd.getSpec().getVersions().get(0).getName());
    }
    return list;
  }

  private static void addGroup(ArrayNode groups, String group, String version) {
    ObjectNode g = groups.addObject();
    g.put("name", group);
    ObjectNode gv = JSON.createObjectNode();
    gv.put("groupVersion", group + "/" + version);
    gv.put("version", version);
    g.putArray("versions").add(gv);
    g.set("preferredVersion", gv.deepCopy());
  }

  /** The APIResourceList of /api/v1 or /apis/GROUP/VERSION, or null if not served. */
  private ObjectNode resources(String path) {
    String groupVersion = path.equals("/api/v1") ? "v1" : path.substring("/apis/".length());
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    boolean found = false;
    for (Kind k : BUILT_IN) {
      String gv = k.group().isEmpty() ? k.version() : k.group() + "/" + k.version();
      if (gv.equals(groupVersion)) {
        addResource(resources, k.plural(), k.singular(), k.kind(), k.namespaced(),
            k.shortNames(), k.status());
        found = true;
      }
    }
    for (CustomResourceDefinition crd : crds()) {
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if ((crd.getSpec().getGroup() + "/" + v.getName()).equals(groupVersion)) {
          var names = crd.getSpec().getNames();
          addResource(resources, names.getPlural(), names.getSingular(), names.getKind(),
              "Namespaced".equals(crd.getSpec().getScope()),
              names.getShortNames() == null ? List.of() : names.getShortNames(),
              v.getSubresources() != null && v.getSubresources().getStatus() != null);
          found = true;
        }
      }
    }
    return found ? list : null;
  }

  private static void addResource(ArrayNode resources, String plural, String singular,
      String kind, boolean namespaced, List<String> shortNames, boolean status) {
    ObjectNode r = resources.addObject();
    r.put("name", plural);
    r.put("singularName", singular);
    r.put("namespaced", namespaced);
    r.put("kind", kind);
    ArrayNode verbs = r.putArray("verbs");
    for (String v : List.of("create", "delete", "deletecollection", "get", "list", "patch",
        "update", "watch")) {
      verbs.add(v);
    }
    ArrayNode sn = r.putArray("shortNames");
    shortNames.forEach(sn::add);
    if (status) {
      ObjectNode s = resources.addObject();
      s.put("name", plural + "/status");
      s.put("singularName", "");
      s.put("namespaced", namespaced);
      s.put("kind", kind);
      ArrayNode sv = s.putArray("verbs");
      sv.add("get").add("patch").add("update");
    }
  }

  private static ObjectNode status(int code, String reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.put("status", "Failure");
    s.put("reason", reason);
    s.put("message", message);
    s.put("code", code);
    return s;
  }

  private static void json(HttpExchange x, int code, JsonNode body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
