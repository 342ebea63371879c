package dev.nodecache.agent.server;

import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.ClientQuery;
import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import dev.nodecache.agent.resolve.QueryResolver;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing sockets: UDP and TCP on every listen address. With epoll, each address gets one
 * UDP and one TCP socket per event loop, bound with SO_REUSEPORT so the kernel spreads clients over
 * the loops (and a second agent instance can bind the same port during upgrades).
 */
public final class DnsServer {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
  private static final int SOCKET_BUFFER = 4 * 1024 * 1024;

  /** Larger UDP queries are cut (and then answered FORMERR): no real query comes near it. */
  private static final int MAX_QUERY_SIZE = 2048;

  private static final int READ_BATCH = 16;

  private final IoTransport transport;
  private final EventLoopGroup group;
  private final AgentMetrics metrics;
  private final QueryHandling handling;
  private final List<Channel> channels = new ArrayList<>();
  private final AtomicInteger tcpConnections = new AtomicInteger();

  public DnsServer(
      IoTransport transport,
      EventLoopGroup group,
      QueryResolver resolver,
      AgentMetrics metrics,
      Function<ClientQuery, CacheRules> rules) {
    this.transport = transport;
    this.group = group;
    this.metrics = metrics;
    this.handling = new QueryHandling(resolver, metrics, rules);
  }

  /**
   * Binds UDP and TCP on {@code addresses} (the listen addresses and any intercepted cluster DNS
   * address) or throws (the caller exits with the reason).
   */
  public void start(AgentConfig.Listen listen, java.util.List<InetAddress> addresses)
      throws InterruptedException {
    int sockets = transport.reusePort() ? listen.threads() : 1;
    UdpQueryHandler udp = new UdpQueryHandler(handling, metrics);
    for (InetAddress address : addresses) {
      InetSocketAddress at = new InetSocketAddress(address, listen.port());
      for (int i = 0; i < sockets; i++) {
        Bootstrap b =
            new Bootstrap()
                .group(group)
                .channelFactory(transport.datagram(address))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.RCVBUF_ALLOCATOR, readBatches())
                .handler(udp);
        if (transport.isEpoll()) {
          b.option(EpollChannelOption.SO_REUSEPORT, true);
          // recvmmsg: up to READ_BATCH datagrams per system call, sliced out of one buffer
          b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_SIZE);
        }
        channels.add(b.bind(at).sync().channel());
      }
      for (int i = 0; i < sockets; i++) {
        ServerBootstrap sb =
            new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverSocket())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(tcpInitializer(listen));
        if (transport.reusePort()) {
          sb.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        channels.add(sb.bind(at).sync().channel());
      }
      log.info(
          "listening on {} udp+tcp ({}, {} socket(s) each)",
          dev.nodecache.agent.config.ServerAddress.format(at),
          transport.name(),
          sockets);
    }
  }

  /**
   * Keep reading datagrams until the socket is empty (up to READ_BATCH per wake-up): Netty's
   * default stops after one small datagram, which costs a wake-up and a flush per query.
   */
  private static FixedRecvByteBufAllocator readBatches() {
    FixedRecvByteBufAllocator a = new FixedRecvByteBufAllocator(MAX_QUERY_SIZE * READ_BATCH);
    a.respectMaybeMoreData(false);
    a.maxMessagesPerRead(READ_BATCH);
    return a;
  }

  private ChannelInitializer<SocketChannel> tcpInitializer(AgentConfig.Listen listen) {
    long idleMillis = listen.tcpIdleTimeout().toMillis();
    int max = listen.maxTcpConnections();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (tcpConnections.incrementAndGet() > max) {
          tcpConnections.decrementAndGet();
          metrics.dropped("tcp_connection_limit");
          ch.close();
          return;
        }
        ch.closeFuture().addListener(f -> tcpConnections.decrementAndGet());
        ch.pipeline()
            .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
            .addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2))
            .addLast(new TcpQueryHandler(handling, metrics));
      }
    };
  }

  /** The bound sockets. */
  public List<Channel> channels() {
    return channels;
  }

  public int tcpConnections() {
    return tcpConnections.get();
  }

  /**
   * The last step of a drain: each UDP socket is connected to a peer that never sends, so the
   * kernel stops giving it client packets (a connected socket in a SO_REUSEPORT group receives only
   * from its peer) and the other instance gets them all, while what is already queued here is still
   * read and answered. Closing a socket with packets in its queue would drop them.
   */
  public void stopReceivingUdp() {
    for (Channel ch : channels) {
      if (ch instanceof io.netty.channel.socket.DatagramChannel udp && udp.isActive()) {
        InetAddress local = ((InetSocketAddress) udp.localAddress()).getAddress();
        // Literals: no name lookup.
        String sink = local instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
        udp.connect(new InetSocketAddress(sink, DISCARD_PORT)).awaitUninterruptibly(1000);
      }
    }
  }

  private static final int DISCARD_PORT = 9;

  public void stop() {
    for (Channel ch : channels) {
      ch.close().awaitUninterruptibly();
    }
    channels.clear();
  }
}
