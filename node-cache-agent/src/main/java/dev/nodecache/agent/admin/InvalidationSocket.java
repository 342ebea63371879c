package dev.nodecache.agent.admin;

import dev.nodecache.agent.invalidation.InvalidationStream;
import dev.nodecache.agent.json.Json;
import dev.nodecache.agent.json.JsonException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation stream held open (README, "Invalidation"): {@code GET /invalidate} with a
 * WebSocket upgrade, authorized like {@code POST /invalidate}. Each text message is one body of
 * {@code POST /invalidate} and is answered by one text message with its reply, in order; a message
 * that cannot be read is answered with {@code {"error": …}} and the connection stays. A batch then
 * costs the operator one frame on an open connection instead of one HTTP request.
 */
final class InvalidationSocket extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(InvalidationSocket.class);

  /**
   * A message's limit: a catch-up of many batches is large, and it is only read once authorized.
   */
  static final int MAX_MESSAGE = 4 * 1024 * 1024;

  private final WebSocketServerHandshaker handshaker;
  private final InvalidationStream stream;

  private InvalidationSocket(WebSocketServerHandshaker handshaker, InvalidationStream stream) {
    super(WebSocketFrame.class); // by class: Netty would resolve the type parameter by reflection
    this.handshaker = handshaker;
    this.stream = stream;
  }

  /** Whether the request asks for a WebSocket. */
  static boolean wanted(FullHttpRequest req) {
    return "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
  }

  /** Upgrades the connection of an authorized request; {@code ctx} is the HTTP handler's. */
  static void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, InvalidationStream stream) {
    String host = req.headers().get(HttpHeaderNames.HOST, "agent");
    WebSocketServerHandshaker h =
        new WebSocketServerHandshakerFactory(
                "ws://" + host + "/invalidate", null, false, MAX_MESSAGE)
            .newHandshaker(req);
    if (h == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline p = ctx.pipeline();
    p.addLast("invalidation-socket", new InvalidationSocket(h, stream));
    p.remove(ctx.name());
    h.handshake(ctx.channel(), req)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ctx.channel().close();
              }
            });
    // The handshake put its frame decoder where the HTTP codec was; messages come whole from here.
    p.addAfter("wsdecoder", "ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      ctx.writeAndFlush(new TextWebSocketFrame(answer(text.text())));
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame close) {
      handshaker.close(ctx.channel(), close.retain());
    } else if (!(frame instanceof PongWebSocketFrame)) {
      handshaker.close(
          ctx.channel(),
          new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "text messages only"));
    }
  }

  private String answer(String body) {
    if (!stream.enabled()) {
      return Json.write(Map.of("error", InvalidationMessage.NOT_CONFIGURED));
    }
    InvalidationMessage m;
    try {
      m = InvalidationMessage.parse(Json.parseObject(body));
    } catch (JsonException | IllegalArgumentException e) {
      return Json.write(Map.of("error", String.valueOf(e.getMessage())));
    }
    return Json.write(InvalidationMessage.reply(m.applyTo(stream)));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("invalidation stream connection error", cause);
    ctx.close();
  }
}
