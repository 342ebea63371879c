package dev.nodecache.local.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's watch cache, over the storage: one watch of the storage per resource type
 * (started before anything of that type is stored), feeding that type's {@link EventLog}.
 *
 * <p>The storage stamps a deletion with no resourceVersion of its own, so the API front tells the
 * cache of each delete it makes ({@link #deleting}) and gives it the resourceVersion it took for
 * it; other deletions get one when their event arrives.
 */
public final class WatchCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
  private static final int MAX_RESTARTS = 20;

  private final KubernetesClient storage;
  private final LongSupplier nextResourceVersion;
  private final int capacity;
  private final Duration lag;
  private final Map<String, EventLog> logs = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> deletions = new ConcurrentHashMap<>();
  private final List<Watch> watches = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param storage a client straight to the storage
   * @param nextResourceVersion the storage's resourceVersion counter
   * @param capacity events kept per type
   */
  public WatchCache(KubernetesClient storage, LongSupplier nextResourceVersion, int capacity) {
    this(storage, nextResourceVersion, capacity, Duration.ZERO);
  }

  /**
   * @param lag how long every event is held back before watchers see it: a watch that lags behind
   *     the storage, as a loaded API server's does (for tests of clients' caches)
   */
  public WatchCache(
      KubernetesClient storage, LongSupplier nextResourceVersion, int capacity, Duration lag) {
    this.storage = storage;
    this.nextResourceVersion = nextResourceVersion;
    this.capacity = capacity;
    this.lag = lag;
  }

  /** The log of a type, following the storage from now on (idempotent). */
  public synchronized EventLog follow(WatchedType type) {
    EventLog existing = logs.get(type.key());
    if (existing != null) {
      return existing;
    }
    EventLog events = new EventLog(capacity, 0, lag);
    logs.put(type.key(), events);
    watch(type, events, 0);
    return events;
  }

  /** The log of a type already followed, or null. */
  public EventLog log(WatchedType type) {
    return logs.get(type.key());
  }

  private void watch(WatchedType type, EventLog events, int restarts) {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(type.group())
            .withVersion(type.version())
            .withPlural(type.plural())
            .withNamespaced(type.namespaced())
            .build();
    var resources = storage.genericKubernetesResources(context);
    Watcher<GenericKubernetesResource> watcher =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource resource) {
            received(type, events, action.name(), resource);
          }

          @Override
          public void onClose(WatcherException cause) {
            if (closed) {
              return;
            }
            // A gap we cannot fill: whoever watches from before it lists again.
            events.expireThrough(nextResourceVersion.getAsLong());
            if (restarts < MAX_RESTARTS) {
              log.warn("storage watch of {} closed ({}); watching again", type.plural(), cause);
              watch(type, events, restarts + 1);
            } else {
              log.error("storage watch of {} closed {} times; giving up", type.plural(), restarts);
            }
          }
        };
    Watch w =
        type.namespaced() ? resources.inAnyNamespace().watch(watcher) : resources.watch(watcher);
    synchronized (watches) {
      watches.add(w);
    }
  }

  private void received(
      WatchedType type, EventLog events, String action, GenericKubernetesResource resource) {
    ObjectNode object = Serialization.jsonMapper().valueToTree(resource);
    ObjectNode metadata = (ObjectNode) object.path("metadata");
    long rv;
    if (action.equals("DELETED")) {
      rv = deletionVersion(type, metadata);
      metadata.put("resourceVersion", Long.toString(rv));
    } else if (action.equals("ADDED") || action.equals("MODIFIED")) {
      rv = parse(metadata.path("resourceVersion").asText());
    } else {
      return;
    }
    events.append(action, object, rv);
  }

  private long deletionVersion(WatchedType type, ObjectNode metadata) {
    CompletableFuture<Long> pending =
        deletions.remove(
            deletionKey(
                type, metadata.path("namespace").asText(""), metadata.path("name").asText()));
    if (pending != null) {
      try {
        Long rv = pending.get(5, TimeUnit.SECONDS);
        if (rv != null) {
          return rv;
        }
      } catch (Exception e) {
        // taken below
      }
    }
    return nextResourceVersion.getAsLong();
  }

  private static long parse(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String deletionKey(WatchedType type, String namespace, String name) {
    return type.key() + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }

  /**
   * Before the front deletes an object: the returned future is completed with the deletion's
   * resourceVersion once the storage deleted it (null if it did not, e.g. finalizers remain).
   */
  public CompletableFuture<Long> deleting(WatchedType type, String namespace, String name) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    deletions.put(deletionKey(type, namespace, name), f);
    return f;
  }

  /** After a delete that did not remove the object: nothing is pending any more. */
  public void notDeleted(WatchedType type, String namespace, String name) {
    CompletableFuture<Long> f = deletions.remove(deletionKey(type, namespace, name));
    if (f != null) {
      f.complete(null);
    }
  }

  /**
   * As after the API server re-initialized its watch cache: every watch ends, and a watch from an
   * older resourceVersion is told 410 Gone (its informer lists again).
   */
  public void expireAll() {
    long now = nextResourceVersion.getAsLong();
    logs.values().forEach(l -> l.expireThrough(now));
  }

  @Override
  public void close() {
    closed = true;
    synchronized (watches) {
      watches.forEach(Watch::close);
      watches.clear();
    }
  }
}
