package dev.nodecache.local.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A watch as the API server streams it over HTTP: one JSON event per line ({@code {"type":
 * "MODIFIED", "object": {...}}}), flushed as it happens, until the timeout or until the client
 * goes. Selectors apply to the object before and after each change, so an object that stops
 * matching is seen DELETED and one that starts matching ADDED.
 */
public final class WatchStream {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration BOOKMARK_EVERY = Duration.ofSeconds(60);

  private final Predicate<JsonNode> selector;
  private final UnaryOperator<JsonNode> render;

  /**
   * @param selector which objects the watcher asked for (label and field selectors)
   * @param render how each object is sent (as is, or as a Table row)
   */
  public WatchStream(Predicate<JsonNode> selector, UnaryOperator<JsonNode> render) {
    this.selector = selector;
    this.render = render;
  }

  /**
   * Streams {@code initial} (synthetic ADDED events, for a watch from "now") then the
   * subscription's events until {@code timeout}; returns when done or when the client went away.
   * {@code bookmark}, when the watcher allows bookmarks, is sent at once and then every minute
   * without changes (it also tells a watcher that went away from one that is only idle). The first
   * one matters over HTTP: a fabric8 client counts its watch as started only on the first bytes
   * (over a WebSocket, which the API server offers, on the upgrade), and the API server may send a
   * bookmark at any time.
   */
  public void serve(
      OutputStream out,
      List<ObjectNode> initial,
      Subscription events,
      Duration timeout,
      Supplier<ObjectNode> bookmark)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextBookmark = System.nanoTime();
    try (events) {
      for (ObjectNode o : initial) {
        if (selector.test(o)) {
          write(out, "ADDED", o);
        }
      }
      while (System.nanoTime() < deadline && !events.ended()) {
        WatchEvent e = events.poll(POLL);
        if (e != null) {
          send(out, e);
        } else if (bookmark != null && System.nanoTime() > nextBookmark) {
          ObjectNode event = JSON.createObjectNode();
          event.put("type", "BOOKMARK");
          event.set("object", bookmark.get());
          out.write(JSON.writeValueAsBytes(event));
          out.write('\n');
          out.flush();
          nextBookmark = System.nanoTime() + BOOKMARK_EVERY.toNanos();
        }
      }
    } catch (IOException e) {
      // the watcher went away
    }
  }

  /** The API server's answer to a watch from a resourceVersion it no longer holds. */
  public static void expired(OutputStream out, TooOld tooOld) throws IOException {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", tooOld.getMessage());
    status.put("reason", "Expired");
    status.put("code", 410);
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "ERROR");
    event.set("object", status);
    out.write(JSON.writeValueAsBytes(event));
    out.write('\n');
    out.flush();
  }

  private void send(OutputStream out, WatchEvent e) throws IOException {
    boolean now = selector.test(e.object());
    boolean before = e.previous() != null && selector.test(e.previous());
    switch (e.type()) {
      case "MODIFIED" -> {
        if (now) {
          write(out, before ? "MODIFIED" : "ADDED", e.object());
        } else if (before) {
          write(out, "DELETED", e.object());
        }
      }
      default -> {
        if (now) {
          write(out, e.type(), e.object());
        }
      }
    }
  }

  private void write(OutputStream out, String type, JsonNode object) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", type);
    event.set("object", render.apply(object));
    out.write(JSON.writeValueAsBytes(event));
    out.write('\n');
    out.flush();
  }
}
