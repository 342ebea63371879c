package dev.nodecache.agent.admin;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.nodecache.agent.cache.AnswerCache;
import dev.nodecache.agent.cache.CacheFlusher;
import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.ServerAddress;
import dev.nodecache.agent.invalidation.InvalidationStream;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server, on an event loop of its own so that a busy DNS loop cannot delay a probe,
 * and a slow admin client cannot delay DNS.
 */
public final class AdminServer {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 64 * 1024;

  private final IoTransport transport;
  private final EventLoopGroup group;
  private final AdminHandler handler;
  private volatile BearerAuth auth;
  private Channel channel;

  public AdminServer(
      IoTransport transport,
      List<EventLoopGroup> dnsLoops,
      AgentState state,
      Supplier<byte[]> metrics,
      AgentMetrics counters,
      AnswerCache cache,
      CacheFlusher flusher,
      InvalidationStream invalidation,
      Ticker ticker,
      String tokenFile) {
    this.transport = transport;
    this.group = transport.newGroup(1, new DefaultThreadFactory("admin", true));
    this.auth = new BearerAuth(tokenFile);
    this.handler =
        new AdminHandler(
            metrics,
            counters,
            new HealthCheck(dnsLoops),
            state,
            () -> auth,
            flusher,
            new CacheInspector(cache, ticker),
            invalidation);
  }

  /** A reload may name another token file. */
  public void tokenFile(String tokenFile) {
    this.auth = new BearerAuth(tokenFile);
  }

  public void start(AgentConfig.Admin admin) throws InterruptedException {
    if (admin.port() == 0) {
      log.info("admin HTTP is off (admin.port 0)");
      return;
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channelFactory(transport.serverSocket())
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(MAX_BODY))
                        .addLast(handler);
                  }
                });
    if (transport.reusePort()) {
      b.option(EpollChannelOption.SO_REUSEPORT, true);
    }
    InetSocketAddress at = new InetSocketAddress(admin.address(), admin.port());
    channel = b.bind(at).sync().channel();
    log.info("admin HTTP on {}", ServerAddress.format(at));
  }

  public void stop() {
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
