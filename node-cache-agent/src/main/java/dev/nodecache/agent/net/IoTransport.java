package dev.nodecache.agent.net;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Native epoll where the platform has it (several SO_REUSEPORT sockets, one per event loop, so the
 * kernel spreads packets over cores), NIO with a single socket otherwise.
 */
public final class IoTransport {
  private final boolean epoll;

  private IoTransport(boolean epoll) {
    this.epoll = epoll;
  }

  /** Epoll unless unavailable or disabled with -Dnodecache.transport=nio. */
  public static IoTransport best() {
    boolean wantNio = "nio".equals(System.getProperty("nodecache.transport"));
    return new IoTransport(!wantNio && Epoll.isAvailable());
  }

  public boolean isEpoll() {
    return epoll;
  }

  public String name() {
    return epoll ? "epoll" : "nio";
  }

  /** One socket per event loop can share a port only with SO_REUSEPORT. */
  public boolean reusePort() {
    return epoll;
  }

  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    IoHandlerFactory handler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, handler);
  }

  public ChannelFactory<DatagramChannel> datagram(InetAddress family) {
    SocketProtocolFamily f =
        family instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    return epoll ? () -> new EpollDatagramChannel(f) : () -> new NioDatagramChannel(f);
  }

  public ChannelFactory<ServerSocketChannel> serverSocket() {
    return epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new;
  }

  public ChannelFactory<SocketChannel> socket() {
    return epoll ? EpollSocketChannel::new : NioSocketChannel::new;
  }
}
