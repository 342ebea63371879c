package dev.nodecache.operator.invalidation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.nodecache.operator.flush.AgentAdminClient;
import dev.nodecache.operator.flush.AgentEndpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's end of the invalidation WebSocket against a real WebSocket server on loopback
 * (Netty's, as the agent's is): replies in order on one connection, the token checked at the
 * upgrade, a new connection after a late reply or a close, and POST for an agent without it.
 */
class AgentStreamsTest {
  static final String TOKEN = "stream-token";
  final EventLoopGroup loops = new NioEventLoopGroup(1);
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger upgrades = new AtomicInteger();

  /** What the server does with a message: its reply, or null for none. */
  final AtomicReference<java.util.function.Function<String, String>> behaviour =
      new AtomicReference<>(text -> "{\"echo\":" + text.length() + "}");

  final AgentStreams streams =
      new AgentStreams(new AgentAdminClient(Duration.ofSeconds(2)), Duration.ofMillis(800));
  Channel server;

  @AfterEach
  void stop() throws Exception {
    streams.close();
    if (server != null) {
      server.close().sync();
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  int startWebSocketServer() throws Exception {
    server =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.incrementAndGet();
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof FullHttpRequest req
                                    && !("Bearer " + TOKEN)
                                        .equals(req.headers().get("Authorization"))) {
                                  req.release();
                                  ctx.writeAndFlush(
                                      new DefaultFullHttpResponse(
                                          HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED));
                                  return;
                                }
                                if (msg instanceof FullHttpRequest) {
                                  upgrades.incrementAndGet();
                                }
                                ctx.fireChannelRead(msg);
                              }
                            })
                        .addLast(
                            new WebSocketServerProtocolHandler(
                                "/invalidate", null, false, 8 * 1024 * 1024))
                        .addLast(
                            new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                String reply = behaviour.get().apply(frame.text());
                                if ("close".equals(reply)) {
                                  ctx.close();
                                } else if (reply != null) {
                                  ctx.writeAndFlush(new TextWebSocketFrame(reply));
                                }
                              }
                            });
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  static AgentTargets.Target target(String token) {
    return new AgentTargets.Target(null, "cluster.local", token, List.of());
  }

  static AgentTargets.Agent agent(int port) {
    return new AgentTargets.Agent("policy/uid-1", new AgentEndpoint("node-1", "127.0.0.1", port));
  }

  JsonNode ask(AgentTargets.Target t, AgentTargets.Agent a, String body) throws Exception {
    return streams.send(t, a, body).get(5, TimeUnit.SECONDS);
  }

  @Test
  void manyMessagesOnOneConnectionAreAnsweredInOrder() throws Exception {
    int port = startWebSocketServer();
    behaviour.set(
        text -> "{\"n\":" + text.substring(text.indexOf(':') + 1, text.indexOf('}')) + "}");
    List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      replies.add(streams.send(target(TOKEN), agent(port), "{\"n\":" + i + "}"));
    }
    for (int i = 0; i < 200; i++) {
      assertEquals(i, replies.get(i).get(5, TimeUnit.SECONDS).get("n").asInt());
    }
    // A message of 300 KB (a catch-up of many batches) and one of 200 bytes, in one frame each.
    behaviour.set(text -> "{\"length\":" + text.length() + "}");
    String big = "x".repeat(300_000);
    assertEquals(300_000, ask(target(TOKEN), agent(port), big).get("length").asInt());
    assertEquals(1, connections.get(), "one connection for all of them");
    assertEquals(1, upgrades.get());
  }

  @Test
  void aRefusedTokenFailsWithTheStatusAndANewTokenConnectsAnew() throws Exception {
    int port = startWebSocketServer();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> ask(target("wrong"), agent(port), "{}"));
    assertTrue(e.getCause().getMessage().contains("HTTP 401"), e.getCause().toString());
    assertEquals(1, ask(target(TOKEN), agent(port), "{}").size());
    assertEquals(1, ask(target(TOKEN), agent(port), "{}").size());
    assertEquals(2, connections.get(), "one refused, one for the right token");
  }

  @Test
  void aLateReplyOrAClosedConnectionFailsAndTheNextMessageConnectsAnew() throws Exception {
    int port = startWebSocketServer();
    ask(target(TOKEN), agent(port), "{}");
    behaviour.set(text -> null); // no reply
    ExecutionException late =
        assertThrows(ExecutionException.class, () -> ask(target(TOKEN), agent(port), "{}"));
    assertTrue(late.getCause().getMessage().contains("no reply within 800 ms"), late.toString());
    behaviour.set(text -> "close");
    ExecutionException closed =
        assertThrows(ExecutionException.class, () -> ask(target(TOKEN), agent(port), "{}"));
    assertTrue(closed.getCause().getMessage().contains("closed"), closed.getCause().toString());
    behaviour.set(text -> "{\"ok\":true}");
    assertTrue(ask(target(TOKEN), agent(port), "{}").get("ok").asBoolean());
    assertEquals(3, connections.get(), "a new connection after each failure");
  }

  @Test
  void anAgentWithoutTheWebSocketGetsPosts() throws Exception {
    HttpServer post = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    AtomicInteger posts = new AtomicInteger();
    post.createContext(
        "/invalidate",
        x -> {
          boolean isPost = x.getRequestMethod().equals("POST");
          if (isPost) {
            posts.incrementAndGet();
          }
          byte[] b = (isPost ? "{\"posted\":true}" : "use POST\n").getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(isPost ? 200 : 405, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    post.start();
    try {
      int port = post.getAddress().getPort();
      assertTrue(ask(target(TOKEN), agent(port), "{}").get("posted").asBoolean());
      assertTrue(ask(target(TOKEN), agent(port), "{}").get("posted").asBoolean());
      assertEquals(2, posts.get(), "the second one straight away as a POST");
    } finally {
      post.stop(0);
    }
  }

  @Test
  void nothingListeningFailsTheMessage() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    int closedPort = port;
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> ask(target(TOKEN), agent(closedPort), "{}"));
    assertTrue(e.getCause() instanceof java.io.IOException, e.getCause().toString());
  }

  @Test
  void framesFromTheServerAreReadWhateverTheirLength() {
    for (int len : new int[] {0, 125, 126, 300, 65_535, 70_000}) {
      byte[] payload = new byte[len];
      java.util.Arrays.fill(payload, (byte) 'a');
      int header = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
      ByteBuffer b = ByteBuffer.allocate(header + len + 1);
      b.put((byte) 0x81);
      if (len < 126) {
        b.put((byte) len);
      } else if (len <= 0xFFFF) {
        b.put((byte) 126).putShort((short) len);
      } else {
        b.put((byte) 127).putLong(len);
      }
      b.put(payload).flip();
      ByteBuffer part = b.duplicate().limit(b.limit() - 1);
      assertNull(WebSocketFrames.next(part, 1 << 20), "one byte short: not whole yet");
      WebSocketFrames.Frame f = WebSocketFrames.next(b, 1 << 20);
      assertEquals(WebSocketFrames.TEXT, f.opcode());
      assertArrayEquals(payload, f.payload());
      assertEquals(0, b.remaining());
    }
    ByteBuffer masked = ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 5});
    assertThrows(IllegalStateException.class, () -> WebSocketFrames.next(masked, 100));
    ByteBuffer huge = ByteBuffer.wrap(new byte[] {(byte) 0x81, 126, 0x10, 0});
    assertThrows(IllegalStateException.class, () -> WebSocketFrames.next(huge, 100));
  }

  @Test
  void theUpgradeIsAcceptedOnlyWithTheRightAcceptKey() {
    // RFC 6455 §1.3's example.
    assertEquals(
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketFrames.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    String wrong = "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: nope\r\n\r\n";
    assertThrows(
        WebSocketFrames.UpgradeRefused.class,
        () ->
            WebSocketFrames.readUpgrade(
                ByteBuffer.wrap(wrong.getBytes(StandardCharsets.ISO_8859_1)),
                "dGhlIHNhbXBsZSBub25jZQ=="));
    ByteBuffer half = ByteBuffer.wrap("HTTP/1.1 101 Sw".getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(!WebSocketFrames.readUpgrade(half, "k"), "not whole yet");
  }
}
