package dev.nodecache.operator.invalidation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nodecache.operator.flush.AgentAdminClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's channel to the agents: one WebSocket per agent to its {@code GET /invalidate},
 * held open, so that a batch is one frame on an open connection and its reply one frame back. An
 * HTTP request per agent per batch capped the stream at about 900 agents a second. All sockets live
 * on one selector thread: a message costs a write and a read, and no thread hand-over but the one
 * to the publisher. A socket is authorized once, with the policy's token, and made again when the
 * token or the agent's address changes, after an error, or when a reply is late (a late reply must
 * not answer the next message). An agent that does not serve the WebSocket (an older agent in a
 * rolling upgrade) gets {@code POST /invalidate} for a minute at a time instead.
 */
final class AgentStreams implements InvalidationPublisher.Channel {
  private static final Logger log = LoggerFactory.getLogger(AgentStreams.class);
  private static final long POST_ONLY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final long CHECK_MILLIS = 100;

  private final AgentAdminClient admin;
  private final long timeoutNanos;
  private final Selector selector;
  private final SecureRandom random = new SecureRandom();
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

  /** By agent key; the selector thread's only. */
  private final Map<String, AgentSocket> sockets = new HashMap<>();

  /** Agents that answered the upgrade with 400/404/405, and until when they get POSTs (nanos). */
  private final Map<String, Long> postOnly = new ConcurrentHashMap<>();

  private volatile boolean running = true;

  AgentStreams(AgentAdminClient admin, Duration timeout) {
    this.admin = admin;
    this.timeoutNanos = timeout.toNanos();
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("no selector for the invalidation stream", e);
    }
    this.thread = new Thread(this::loop, "invalidation-stream");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public CompletableFuture<JsonNode> send(
      AgentTargets.Target target, AgentTargets.Agent agent, String body) {
    Long until = postOnly.get(agent.key());
    if (until != null && System.nanoTime() - until < 0) {
      return admin.invalidate(agent.endpoint(), target.token(), body);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    byte[] message = body.getBytes(StandardCharsets.UTF_8);
    run(
        () -> {
          try {
            socketFor(agent, target.token()).send(message, reply, System.nanoTime() + timeoutNanos);
          } catch (RuntimeException e) {
            reply.completeExceptionally(e);
          }
        });
    return reply
        .handle(
            (r, e) -> {
              if (e == null) {
                return CompletableFuture.completedFuture(r);
              }
              Throwable cause = e;
              while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
              }
              if (cause instanceof WebSocketFrames.UpgradeRefused u
                  && (u.status == 400 || u.status == 404 || u.status == 405)) {
                postOnly.put(agent.key(), System.nanoTime() + POST_ONLY_NANOS);
                log.info(
                    "agent on {} has no invalidation WebSocket (HTTP {}): POST for a minute",
                    agent.endpoint().node(),
                    u.status);
                return admin.invalidate(agent.endpoint(), target.token(), body);
              }
              return CompletableFuture.<JsonNode>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  @Override
  public void retain(Set<String> agents) {
    postOnly.keySet().retainAll(agents);
    run(
        () ->
            sockets
                .entrySet()
                .removeIf(
                    e -> {
                      if (agents.contains(e.getKey())) {
                        return false;
                      }
                      e.getValue().fail(new IllegalStateException("the agent is gone"));
                      return true;
                    }));
  }

  /** On the selector thread. */
  private AgentSocket socketFor(AgentTargets.Agent agent, String token) {
    AgentSocket s = sockets.get(agent.key());
    if (s != null && s.serves(agent.endpoint(), token)) {
      return s;
    }
    if (s != null) {
      s.fail(new IllegalStateException("the agent's address or token changed"));
    }
    try {
      s =
          new AgentSocket(
              agent.endpoint(), token, selector, random, System.nanoTime() + timeoutNanos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sockets.put(agent.key(), s);
    return s;
  }

  private void run(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void loop() {
    long nextCheck = System.nanoTime();
    while (running) {
      try {
        selector.select(CHECK_MILLIS);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.debug("invalidation stream task failed", e); // its reply was failed, if any
          }
        }
        for (SelectionKey k : selector.selectedKeys()) {
          ((AgentSocket) k.attachment()).ready();
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
          nextCheck = now + TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS);
          sockets.values().forEach(s -> s.checkDeadlines(now, timeoutNanos / 1_000_000));
          sockets.values().removeIf(AgentSocket::closed);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("invalidation stream loop: {}", e.toString()); // keeps serving the others
      }
    }
    sockets.values().forEach(s -> s.fail(new IllegalStateException("the stream closed")));
    try {
      selector.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
  }
}
