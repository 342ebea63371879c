package dev.nodecache.agent.admin;

import dev.nodecache.agent.cache.CacheFlusher;
import dev.nodecache.agent.invalidation.InvalidationStream;
import dev.nodecache.agent.json.Json;
import dev.nodecache.agent.metrics.AgentMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API: /metrics, /healthz, /readyz and /invalidation open; /flush, /invalidate and /cache
 * behind the token.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  private static final java.util.Set<String> SERVED =
      java.util.Set.of(
          "/metrics", "/healthz", "/readyz", "/flush", "/invalidate", "/invalidation", "/cache");
  private static final java.util.Set<String> METHODS =
      java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final Supplier<byte[]> metrics;
  private final HealthCheck health;
  private final AgentState state;
  private final Supplier<BearerAuth> auth;
  private final CacheFlusher flusher;
  private final CacheInspector inspector;
  private final InvalidationStream invalidation;
  private final AgentMetrics counters;

  AdminHandler(
      Supplier<byte[]> metrics,
      AgentMetrics counters,
      HealthCheck health,
      AgentState state,
      Supplier<BearerAuth> auth,
      CacheFlusher flusher,
      CacheInspector inspector,
      InvalidationStream invalidation) {
    super(FullHttpRequest.class); // by class: Netty would resolve the type parameter by reflection
    this.invalidation = invalidation;
    this.counters = counters;
    this.metrics = metrics;
    this.health = health;
    this.state = state;
    this.auth = auth;
    this.flusher = flusher;
    this.inspector = inspector;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpMethod method = req.method();
    counters.adminRequest(
        SERVED.contains(uri.path()) ? uri.path() : "other",
        METHODS.contains(method.name()) ? method.name() : "other");
    switch (uri.path()) {
      case "/metrics" -> {
        if (allowed(ctx, method, HttpMethod.GET, keepAlive)) {
          send(
              ctx,
              HttpResponseStatus.OK,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics.get(),
              keepAlive);
        }
      }
      case "/healthz" -> {
        if (allowed(ctx, method, HttpMethod.GET, keepAlive)) {
          health
              .check(ctx.executor())
              .whenComplete(
                  (ok, e) ->
                      text(
                          ctx,
                          Boolean.TRUE.equals(ok)
                              ? HttpResponseStatus.OK
                              : HttpResponseStatus.SERVICE_UNAVAILABLE,
                          Boolean.TRUE.equals(ok) ? "ok\n" : "event loops not responding\n",
                          keepAlive));
        }
      }
      case "/readyz" -> {
        if (allowed(ctx, method, HttpMethod.GET, keepAlive)) {
          boolean ready = state.ready();
          text(
              ctx,
              ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
              ready ? "ready\n" : state.isDraining() ? "draining\n" : "starting\n",
              keepAlive);
        }
      }
      case "/flush" -> {
        if (method.equals(HttpMethod.GET)) {
          flushDone(ctx, uri, keepAlive);
        } else if (allowed(ctx, method, HttpMethod.POST, keepAlive)
            && authorized(ctx, req, keepAlive)) {
          flush(ctx, req, keepAlive);
        }
      }
      case "/invalidate" -> {
        if (method.equals(HttpMethod.GET) && InvalidationSocket.wanted(req)) {
          if (authorized(ctx, req, keepAlive) && invalidationOn(ctx, keepAlive)) {
            InvalidationSocket.upgrade(ctx, req, invalidation);
          }
        } else if (allowed(ctx, method, HttpMethod.POST, keepAlive)
            && authorized(ctx, req, keepAlive)) {
          invalidate(ctx, req, keepAlive);
        }
      }
      case "/invalidation" -> {
        if (allowed(ctx, method, HttpMethod.GET, keepAlive)) {
          json(ctx, HttpResponseStatus.OK, invalidation.describe(), keepAlive);
        }
      }
      case "/cache" -> {
        if (allowed(ctx, method, HttpMethod.GET, keepAlive) && authorized(ctx, req, keepAlive)) {
          List<String> name = uri.parameters().get("name");
          if (name == null || name.isEmpty() || name.get(0).isBlank()) {
            json(
                ctx,
                HttpResponseStatus.BAD_REQUEST,
                Map.of("error", "name=N is required"),
                keepAlive);
          } else {
            json(ctx, HttpResponseStatus.OK, inspector.describe(name.get(0)), keepAlive);
          }
        }
      }
      default -> text(ctx, HttpResponseStatus.NOT_FOUND, "not found\n", keepAlive);
    }
  }

  private void flush(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
    String id;
    List<String> names = new ArrayList<>();
    try {
      Map<String, Object> body = Json.parseObject(req.content().toString(StandardCharsets.UTF_8));
      id = body.get("id") instanceof String s ? s : "";
      Object list = body.get("names");
      if (list != null && !(list instanceof List)) {
        throw new IllegalArgumentException("names must be a list");
      }
      for (Object n : list == null ? List.of() : (List<?>) list) {
        if (!(n instanceof String name)) {
          throw new IllegalArgumentException("names must be strings");
        }
        names.add(FlushNames.normalize(name));
      }
    } catch (Exception e) {
      json(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          Map.of("error", String.valueOf(e.getMessage())),
          keepAlive);
      return;
    }
    CacheFlusher.Result r = flusher.flush(id, names, "admin API");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("removed", r.removed());
    out.put("duplicate", r.duplicate());
    json(ctx, HttpResponseStatus.OK, out, keepAlive);
  }

  /** Whether flush {@code id} was done here (open: it reveals nothing of the cache). */
  private void flushDone(ChannelHandlerContext ctx, QueryStringDecoder uri, boolean keepAlive) {
    List<String> id = uri.parameters().get("id");
    if (id == null || id.isEmpty() || id.get(0).isBlank()) {
      json(ctx, HttpResponseStatus.BAD_REQUEST, Map.of("error", "id=ID is required"), keepAlive);
      return;
    }
    Integer removed = flusher.removedBy(id.get(0));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id.get(0));
    out.put("done", removed != null);
    out.put("removed", removed == null ? 0 : removed);
    json(ctx, HttpResponseStatus.OK, out, keepAlive);
  }

  private boolean invalidationOn(ChannelHandlerContext ctx, boolean keepAlive) {
    if (invalidation.enabled()) {
      return true;
    }
    json(
        ctx,
        HttpResponseStatus.CONFLICT,
        Map.of("error", InvalidationMessage.NOT_CONFIGURED),
        keepAlive);
    return false;
  }

  private void invalidate(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
    if (!invalidationOn(ctx, keepAlive)) {
      return;
    }
    InvalidationMessage m;
    try {
      m =
          InvalidationMessage.parse(
              Json.parseObject(req.content().toString(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      json(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          Map.of("error", String.valueOf(e.getMessage())),
          keepAlive);
      return;
    }
    json(ctx, HttpResponseStatus.OK, InvalidationMessage.reply(m.applyTo(invalidation)), keepAlive);
  }

  private boolean allowed(
      ChannelHandlerContext ctx, HttpMethod method, HttpMethod expected, boolean keepAlive) {
    if (method.equals(expected)) {
      return true;
    }
    text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + expected + "\n", keepAlive);
    return false;
  }

  private boolean authorized(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
    if (auth.get()
        .allows(
            req.headers().get(HttpHeaderNames.AUTHORIZATION),
            req.headers().get(BearerAuth.TOKEN_HEADER))) {
      return true;
    }
    log.warn(
        "admin request to {} from {} refused: no valid bearer token",
        req.uri(),
        ctx.channel().remoteAddress());
    FullHttpResponse r =
        response(
            HttpResponseStatus.UNAUTHORIZED,
            "text/plain; charset=utf-8",
            "a valid 'Authorization: Bearer <token>' is required\n"
                .getBytes(StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    write(ctx, r, keepAlive);
    return false;
  }

  private static void json(
      ChannelHandlerContext ctx, HttpResponseStatus status, Object body, boolean keepAlive) {
    try {
      send(
          ctx,
          status,
          "application/json",
          Json.write(body).getBytes(StandardCharsets.UTF_8),
          keepAlive);
    } catch (Exception e) {
      text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot write JSON\n", keepAlive);
    }
  }

  private static void text(
      ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive) {
    send(
        ctx, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), keepAlive);
  }

  private static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      String type,
      byte[] body,
      boolean keepAlive) {
    write(ctx, response(status, type, body), keepAlive);
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }

  private static void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
    if (keepAlive) {
      HttpUtil.setKeepAlive(r, true);
      ctx.writeAndFlush(r);
    } else {
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("admin connection error", cause);
    ctx.close();
  }
}
