package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.nodecache.local.watch.EventLog;
import dev.nodecache.local.watch.Subscription;
import dev.nodecache.local.watch.TooOld;
import dev.nodecache.local.watch.WatchCache;
import dev.nodecache.local.watch.WatchStream;
import dev.nodecache.local.watch.WatchedType;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Reads of a collection as the API server serves them: a list filtered by {@code labelSelector} and
 * {@code fieldSelector}, carrying the resourceVersion it is current at (so that a watch from there
 * misses nothing), optionally as a Table; and watches from a resourceVersion, from the watch cache,
 * with the same selectors.
 */
final class ListWatch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(30);

  private final ApiStorage storage;
  private final WatchCache watches;

  ListWatch(ApiStorage storage, WatchCache watches) {
    this.storage = storage;
    this.watches = watches;
  }

  static WatchedType type(ResourceKind k) {
    return new WatchedType(k.group(), k.version(), k.plural(), k.namespaced());
  }

  static List<TableColumn> columns(ResourceKind k) {
    return k.custom() ? CustomResourceColumns.of(k) : BuiltInColumns.forKind(k.kind());
  }

  private static Predicate<JsonNode> selector(
      ResourceKind kind, ResourcePath path, QueryParameters q) {
    Predicate<JsonNode> labels = LabelSelector.parse(q.get("labelSelector"));
    Predicate<JsonNode> fields = FieldSelector.parse(q.get("fieldSelector"), kind);
    String name = path.name();
    return o ->
        labels.test(o)
            && fields.test(o)
            && (name == null || name.equals(o.path("metadata").path("name").asText()));
  }

  /** The list, with kind "XList" and metadata.resourceVersion, its items selected. */
  ObjectNode list(ResourceKind kind, ResourcePath path, QueryParameters q) throws IOException {
    Predicate<JsonNode> selected = selector(kind, path, q);
    ApiStorage.Reply r = storage.get(kind.collectionPath(path.namespace()));
    JsonNode stored = JSON.readTree(r.body());
    long version = number(stored.path("metadata").path("resourceVersion").asText());
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", kind.kind() + "List");
    list.put("apiVersion", kind.apiVersion());
    ObjectNode metadata = list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    for (JsonNode item : stored.path("items")) {
      version = Math.max(version, number(item.path("metadata").path("resourceVersion").asText()));
      if (selected.test(item)) {
        items.add(ApiStorage.tidy(item));
      }
    }
    metadata.put("resourceVersion", Long.toString(version));
    return list;
  }

  JsonNode asTable(ResourceKind kind, ObjectNode list, QueryParameters q) {
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    return Table.of(
        columns(kind),
        items,
        list.path("metadata").path("resourceVersion").asText(),
        q.get("includeObject"));
  }

  /** A watch, streamed to the exchange until its timeout or until the client goes. */
  void watch(HttpExchange x, ResourceKind kind, ResourcePath path, QueryParameters q, boolean table)
      throws IOException, InterruptedException {
    Predicate<JsonNode> selected = selector(kind, path, q);
    EventLog log = watches.follow(type(kind));
    String from = q.get("resourceVersion", "");
    List<ObjectNode> initial = new ArrayList<>();
    long after;
    if (from.isEmpty() || from.equals("0")) {
      // "now": the current state as ADDED events, then the changes after it
      ObjectNode list = list(kind, path, q);
      list.path("items").forEach(i -> initial.add((ObjectNode) i));
      after = number(list.path("metadata").path("resourceVersion").asText());
    } else {
      after = number(from);
      if (after < 0) {
        throw ApiError.badRequest("resourceVersion: Invalid value: \"" + from + "\"");
      }
    }
    Duration timeout =
        q.get("timeoutSeconds") == null
            ? DEFAULT_WATCH_TIMEOUT
            : Duration.ofSeconds(Math.max(1, q.number("timeoutSeconds", 1800)));
    UnaryOperator<JsonNode> render =
        table
            ? o ->
                Table.of(columns(kind), List.of(ApiStorage.tidied(o)), null, q.get("includeObject"))
            : ApiStorage::tidied;
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.getResponseHeaders().set("Cache-Control", "no-cache, private");
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      // The headers now, as the API server sends them: a client counts its watch as started on
      // them (fabric8's isWatching), and a type without changes would otherwise send nothing.
      out.flush();
      Subscription events;
      try {
        events = log.subscribe(after);
      } catch (TooOld e) {
        WatchStream.expired(out, e);
        return;
      }
      boolean bookmarks = q.flag("allowWatchBookmarks");
      new WatchStream(selected, render)
          .serve(
              out,
              initial,
              events,
              timeout,
              bookmarks ? () -> bookmark(kind, log.lastResourceVersion()) : null);
    } catch (IOException e) {
      // the watcher went away
    }
  }

  private static ObjectNode bookmark(ResourceKind kind, long resourceVersion) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", kind.kind());
    o.put("apiVersion", kind.apiVersion());
    o.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
    return o;
  }

  private static long number(String rv) {
    try {
      return rv == null || rv.isEmpty() ? 0 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
