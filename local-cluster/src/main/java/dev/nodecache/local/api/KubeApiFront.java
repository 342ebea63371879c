package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nodecache.local.watch.WatchCache;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded API server: what every client (kubectl, the operator, the simulated kubelet) talks
 * to, in front of the storage. It routes each request to the part that imitates the API server for
 * it: {@link Discovery}, {@link OpenApiDocuments}, {@link ListWatch} (lists, Tables, watches from a
 * resourceVersion), {@link WritePath} (admission, patches, status), {@link PodLogs}, {@link
 * PodProxy}. Paths it does not serve answer 404, as on a cluster.
 */
public final class KubeApiFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeApiFront.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiStorage storage;
  private final ServedKinds kinds;
  private final Discovery discovery;
  private final OpenApiDocuments openApi;
  private final ListWatch lists;
  private final WritePath writes;
  private final PodLogs logs;
  private final PodProxy proxy;

  /**
   * Starts serving at {@code at} (BindException if the address is taken): the kinds built in, and
   * the custom resources of the CRDs stored, each followed by the watch cache from now on.
   */
  public KubeApiFront(
      InetSocketAddress at, ApiStorage storage, WatchCache watches, PodLogFiles podLogs)
      throws IOException {
    this.storage = storage;
    this.kinds = new ServedKinds(storage);
    kinds.refresh();
    for (ResourceKind k : kinds.all()) {
      watches.follow(ListWatch.type(k));
    }
    this.discovery = new Discovery(kinds);
    this.openApi = new OpenApiDocuments(kinds, discovery);
    this.lists = new ListWatch(storage, watches);
    this.writes = new WritePath(storage, kinds, watches);
    this.logs = new PodLogs(storage, podLogs);
    this.proxy = new PodProxy(storage);
    this.server = HttpServer.create(at, 128);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kube-api-front");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  private void handle(HttpExchange x) throws IOException {
    try {
      route(x);
    } catch (ApiError e) {
      json(x, e.code(), e.status(), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutting down
    } catch (Exception e) {
      log.warn("{} {}: {}", x.getRequestMethod(), x.getRequestURI(), e.toString());
      json(
          x,
          500,
          ApiError.statusBody(500, "InternalError", String.valueOf(e.getMessage())),
          List.of());
    } finally {
      x.close();
    }
  }

  private void route(HttpExchange x) throws Exception {
    String path = x.getRequestURI().getPath();
    String method = x.getRequestMethod();
    boolean get = method.equals("GET");
    QueryParameters q = new QueryParameters(x.getRequestURI().getRawQuery());
    if (get && path.equals("/version")) {
      json(x, 200, Discovery.version(), List.of());
    } else if (get && path.equals("/api")) {
      json(x, 200, Discovery.apiVersions(port()), List.of());
    } else if (get && path.equals("/apis")) {
      json(x, 200, discovery.apiGroups(), List.of());
    } else if (get && (path.equals("/api/v1") || isGroupVersion(path))) {
      ObjectNode resources = discovery.resources(path.replaceAll("/+$", ""));
      if (resources == null) {
        throw ApiError.of(404, "NotFound", "the server could not find the requested resource");
      }
      json(x, 200, resources, List.of());
    } else if (get && path.equals("/openapi/v3")) {
      json(x, 200, openApi.root(), List.of());
    } else if (get && path.startsWith("/openapi/v3/")) {
      ObjectNode doc = openApi.groupVersion(path.substring("/openapi/v3/".length()));
      if (doc == null) {
        throw ApiError.of(404, "NotFound", "the server could not find the requested resource");
      }
      json(x, 200, doc, List.of());
    } else if (Authorization.handles(method, path)) {
      byte[] body = x.getRequestBody().readAllBytes();
      json(
          x,
          201,
          Authorization.review(path, body.length == 0 ? null : JSON.readTree(body)),
          List.of());
    } else if (get
        && (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez"))) {
      byte[] ok = "ok".getBytes();
      x.sendResponseHeaders(200, ok.length);
      x.getResponseBody().write(ok);
    } else if (PodProxy.handles(path)) {
      proxy.serve(x, path);
    } else {
      resource(x, method, path, q);
    }
  }

  private static boolean isGroupVersion(String path) {
    return path.startsWith("/apis/") && path.replaceAll("/+$", "").split("/").length == 4;
  }

  private void resource(HttpExchange x, String method, String rawPath, QueryParameters q)
      throws Exception {
    ResourcePath path = ResourcePath.parse(rawPath);
    ResourceKind kind = path == null ? null : kinds.find(path);
    if (kind == null || (path.subresource() != null && !subresourceServed(kind, path))) {
      throw ApiError.of(404, "NotFound", "the server could not find the requested resource");
    }
    boolean inNamespace = path.namespace() != null;
    if (kind.namespaced() != inNamespace
        && (!path.collection() || !kind.namespaced() || method.equals("POST"))) {
      throw ApiError.of(404, "NotFound", "the server could not find the requested resource");
    }
    String accept = x.getRequestHeaders().getFirst("Accept");
    boolean table = Table.wanted(accept);
    String type = x.getRequestHeaders().getFirst("Content-Type");
    switch (method) {
      case "GET" -> {
        if ("log".equals(path.subresource())) {
          podLog(x, kind, path, q);
        } else if (q.flag("watch")) {
          String upgrade = x.getRequestHeaders().getFirst("Upgrade");
          if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            // WebSocket watches are not served: fabric8 clients fall back to an HTTP watch
            throw ApiError.of(503, "ServiceUnavailable", "watches are served over HTTP only");
          }
          lists.watch(x, kind, path, q, table);
        } else if (path.collection()) {
          ObjectNode list = lists.list(kind, path, q);
          json(x, 200, table ? lists.asTable(kind, list, q) : list, List.of());
        } else {
          ApiStorage.Reply r = storage.get(path.objectPath(kind));
          if (r.code() == 404) {
            throw ApiError.notFound(kind, path.name());
          }
          JsonNode object = ApiStorage.tidy(JSON.readTree(r.body()));
          json(
              x,
              200,
              table
                  ? Table.of(ListWatch.columns(kind), List.of(object), null, q.get("includeObject"))
                  : object,
              List.of());
        }
      }
      case "POST" -> {
        if (!path.collection()) {
          throw ApiError.of(
              405,
              "MethodNotAllowed",
              "the server does not allow this method on" + " the requested resource");
        }
        answer(x, writes.create(kind, path, q, type, x.getRequestBody().readAllBytes()));
      }
      case "PUT" ->
          answer(x, writes.update(kind, path, q, type, x.getRequestBody().readAllBytes()));
      case "PATCH" ->
          answer(x, writes.patch(kind, path, q, type, x.getRequestBody().readAllBytes()));
      case "DELETE" -> answer(x, writes.delete(kind, path, x.getRequestBody().readAllBytes()));
      default ->
          throw ApiError.of(
              405,
              "MethodNotAllowed",
              "the server does not allow this method" + " on the requested resource");
    }
  }

  private static boolean subresourceServed(ResourceKind kind, ResourcePath path) {
    return path.status() && kind.statusSubresource()
        || "log".equals(path.subresource()) && kind.plural().equals("pods");
  }

  private void podLog(HttpExchange x, ResourceKind pods, ResourcePath path, QueryParameters q)
      throws IOException, InterruptedException {
    Path file = logs.file(pods, path);
    x.getResponseHeaders().set("Content-Type", "text/plain");
    boolean follow = q.flag("follow");
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      logs.write(
          file, q.number("tailLines", -1), q.number("limitBytes", -1), follow, out, pods, path);
    } catch (IOException e) {
      // the reader went away
    }
  }

  private static void answer(HttpExchange x, WritePath.Result r) throws IOException {
    json(x, r.code(), r.body(), r.warnings());
  }

  private static void json(HttpExchange x, int code, JsonNode body, List<String> warnings)
      throws IOException {
    byte[] b = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    for (String w : warnings) {
      x.getResponseHeaders().add("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\"");
    }
    x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(b);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
