package dev.nodecache.operator.invalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nodecache.operator.flush.AgentEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * One agent's invalidation WebSocket, driven by {@link AgentStreams}'s selector thread only:
 * connect, upgrade with the token, then each message out is answered by one text message back, in
 * order. Whatever goes wrong fails every reply still awaited and closes the socket; the next
 * message opens a new one.
 */
final class AgentSocket {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REPLY = 64 * 1024;

  /** A reply awaited, and until when (nanos). */
  private record Awaited(CompletableFuture<JsonNode> reply, long deadline) {}

  final AgentEndpoint endpoint;
  final String token;
  private final SecureRandom random;
  private final String key;
  private final SocketChannel socket;
  private final SelectionKey selection;
  private final Deque<Awaited> awaited = new ArrayDeque<>();
  private final Deque<ByteBuffer> out = new ArrayDeque<>();

  /** Messages given before the upgrade was answered. */
  private final Deque<byte[]> early = new ArrayDeque<>();

  private final ByteArrayOutputStream fragments = new ByteArrayOutputStream();
  private ByteBuffer in = ByteBuffer.allocate(4096);
  private boolean open;
  private boolean closed;
  private final long connectDeadline;

  AgentSocket(
      AgentEndpoint endpoint, String token, Selector selector, SecureRandom random, long deadline)
      throws IOException {
    this.endpoint = endpoint;
    this.token = token;
    this.random = random;
    this.key = WebSocketFrames.newKey(random);
    this.connectDeadline = deadline;
    this.socket = SocketChannel.open();
    try {
      socket.configureBlocking(false);
      socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      // An IP literal (a pod IP): no lookup.
      boolean connected = socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
      this.selection = socket.register(selector, SelectionKey.OP_CONNECT, this);
      if (connected) {
        connected();
      }
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  boolean serves(AgentEndpoint e, String t) {
    return !closed && endpoint.equals(e) && token.equals(t);
  }

  boolean closed() {
    return closed;
  }

  void send(byte[] message, CompletableFuture<JsonNode> reply, long deadline) {
    if (closed) {
      reply.completeExceptionally(new IllegalStateException("stream closed"));
      return;
    }
    awaited.addLast(new Awaited(reply, deadline));
    if (!open) {
      early.addLast(message);
      return;
    }
    try {
      write(WebSocketFrames.frame(WebSocketFrames.TEXT, message, random.nextInt()));
    } catch (IOException e) {
      fail(e);
    }
  }

  /** Ready for I/O (the selector's key). */
  void ready() {
    try {
      if (selection.isConnectable() && socket.finishConnect()) {
        connected();
      }
      if (selection.isValid() && selection.isWritable()) {
        flush();
      }
      if (selection.isValid() && selection.isReadable()) {
        read();
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private void connected() throws IOException {
    String h = endpoint.host().indexOf(':') >= 0 ? "[" + endpoint.host() + "]" : endpoint.host();
    selection.interestOps(SelectionKey.OP_READ);
    write(WebSocketFrames.upgradeRequest(h + ":" + endpoint.port(), "/invalidate", key, token));
  }

  /** Fails the socket if a reply or the connection is late. */
  void checkDeadlines(long now, long timeoutMillis) {
    Awaited first = awaited.peekFirst();
    if ((!open && now - connectDeadline > 0) || (first != null && now - first.deadline > 0)) {
      fail(new IllegalStateException("no reply within " + timeoutMillis + " ms"));
    }
  }

  private void read() throws IOException {
    int n = socket.read(in);
    if (n < 0) {
      throw new IOException("the agent closed the connection");
    }
    in.flip();
    try {
      if (!open) {
        if (!WebSocketFrames.readUpgrade(in, key)) {
          return;
        }
        open = true;
        while (!early.isEmpty()) {
          write(WebSocketFrames.frame(WebSocketFrames.TEXT, early.pollFirst(), random.nextInt()));
        }
      }
      WebSocketFrames.Frame f;
      while (!closed && (f = WebSocketFrames.next(in, MAX_REPLY)) != null) {
        frame(f);
      }
    } finally {
      in.compact();
    }
    if (!in.hasRemaining()) {
      // A frame larger than the buffer (bounded by MAX_REPLY in next()).
      in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
    }
  }

  private void frame(WebSocketFrames.Frame f) throws IOException {
    switch (f.opcode()) {
      case WebSocketFrames.TEXT, WebSocketFrames.CONTINUATION -> {
        fragments.write(f.payload());
        if (fragments.size() > MAX_REPLY) {
          throw new IllegalStateException("a reply of more than " + MAX_REPLY + " bytes");
        }
        if (f.fin()) {
          String text = fragments.toString(StandardCharsets.UTF_8);
          fragments.reset();
          Awaited a = awaited.pollFirst();
          if (a == null) {
            throw new IllegalStateException("a reply to no message");
          }
          try {
            a.reply.complete(JSON.readTree(text));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            a.reply.completeExceptionally(
                new IllegalStateException("not JSON: " + e.getOriginalMessage()));
          }
        }
      }
      case WebSocketFrames.PING ->
          write(WebSocketFrames.frame(WebSocketFrames.PONG, f.payload(), random.nextInt()));
      case WebSocketFrames.PONG -> {}
      case WebSocketFrames.CLOSE -> {
        int code =
            f.payload().length >= 2
                ? ((f.payload()[0] & 0xFF) << 8) | (f.payload()[1] & 0xFF)
                : 1005;
        throw new IllegalStateException("the agent closed the stream (" + code + ")");
      }
      default -> throw new IllegalStateException("a frame of opcode " + f.opcode());
    }
  }

  private void write(ByteBuffer b) throws IOException {
    if (out.isEmpty()) {
      socket.write(b);
      if (!b.hasRemaining()) {
        return;
      }
      selection.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
    out.addLast(b);
  }

  private void flush() throws IOException {
    while (!out.isEmpty()) {
      ByteBuffer b = out.peekFirst();
      socket.write(b);
      if (b.hasRemaining()) {
        return;
      }
      out.pollFirst();
    }
    selection.interestOps(SelectionKey.OP_READ);
  }

  void fail(Throwable why) {
    if (closed) {
      return;
    }
    closed = true;
    selection.cancel();
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing more to do
    }
    for (Awaited a : awaited) {
      a.reply.completeExceptionally(why);
    }
    awaited.clear();
    early.clear();
    out.clear();
  }
}
