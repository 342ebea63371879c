package dev.nodecache.agent.upstream;

import dev.nodecache.agent.metrics.AgentMetrics;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The UDP exchange on an epoll event loop, without a Netty channel: the query's socket is
 * registered with the loop itself. A miss then costs six system calls (socket, getsockname for
 * Netty's family check, epoll_ctl, sendto, recvfrom, close) where a channel made thirteen (bind, a
 * second getsockname, a getsockopt, a setsockopt, two more epoll_ctl, a gettid), and none of a
 * channel's pipeline, config and futures. The kernel binds the socket at its first sendto, to a
 * random ephemeral port: the same choice as a bind to port 0.
 */
final class EpollUdpExchange implements UdpExchange {
  /** One per loop thread, for a query on its way out and a reply on its way in. */
  private static final FastThreadLocal<ByteBuffer> BUFFER =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
          return ByteBuffer.allocateDirect(65_535);
        }
      };

  private final AgentMetrics metrics;

  EpollUdpExchange(AgentMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public CompletableFuture<byte[]> send(
      EventLoop loop, InetSocketAddress server, byte[] query, long timeoutMillis) {
    Exchange x = new Exchange((IoEventLoop) loop, server, query, timeoutMillis);
    if (loop.inEventLoop()) {
      x.start();
    } else {
      try {
        loop.execute(x::start);
      } catch (RejectedExecutionException e) { // the agent is stopping
        x.result.completeExceptionally(new UpstreamFailure("event loop closed"));
      }
    }
    return x.result;
  }

  /**
   * One query's socket, used on its loop's thread only. It is the loop's handle for the socket's
   * events and the query's timeout task.
   */
  private final class Exchange implements EpollIoHandle, Runnable {
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final IoEventLoop loop;
    private final InetSocketAddress server;
    private final byte[] query;
    private final long timeoutMillis;
    private LinuxSocket socket;
    private IoRegistration registration;
    private ScheduledFuture<?> timeout;

    Exchange(IoEventLoop loop, InetSocketAddress server, byte[] query, long timeoutMillis) {
      this.loop = loop;
      this.server = server;
      this.query = query;
      this.timeoutMillis = timeoutMillis;
    }

    void start() {
      try {
        socket = LinuxSocket.newSocketDgram(server.getAddress() instanceof Inet6Address);
        Future<IoRegistration> registered = loop.register(this); // done at once on the loop
        if (!registered.isSuccess()) {
          throw new IOException("register: " + registered.cause());
        }
        registration = registered.getNow();
        registration.submit(EpollIoOps.EPOLLIN);
        ByteBuffer buffer = BUFFER.get();
        buffer.put(0, query);
        int sent = socket.sendTo(buffer, 0, query.length, server.getAddress(), server.getPort());
        if (sent != query.length) {
          throw new IOException("socket buffer full");
        }
        timeout = loop.schedule(this, timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (IOException | RuntimeException e) { // submit's epoll_ctl and schedule: unchecked
        finish(null, new UpstreamFailure("send: " + e.getMessage()));
      }
    }

    @Override
    public FileDescriptor fd() {
      return socket;
    }

    /** Readable: one datagram per event; the loop comes back while more are queued. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
      ByteBuffer buffer = BUFFER.get();
      DatagramSocketAddress from;
      try {
        from = socket.recvFrom(buffer, 0, buffer.capacity());
      } catch (IOException e) {
        finish(null, new UpstreamFailure("receive: " + e.getMessage()));
        return;
      }
      if (from == null) {
        return;
      }
      byte[] reply = new byte[from.receivedAmount()];
      buffer.get(0, reply);
      if (ReplyMatcher.accepts(from, server, reply, query, metrics)) {
        finish(reply, null);
      }
    }

    /** The timeout. */
    @Override
    public void run() {
      finish(null, new UpstreamFailure("timeout"));
    }

    /** The loop shuts down. */
    @Override
    public void close() {
      finish(null, new UpstreamFailure("event loop closed"));
    }

    private void finish(byte[] reply, UpstreamFailure failure) {
      if (result.isDone()) {
        return;
      }
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closed or not, the socket is not used again
        }
      }
      if (registration != null) {
        // after close: the kernel has taken the socket out of epoll, so no epoll_ctl here
        registration.cancel();
      }
      if (failure == null) {
        result.complete(reply);
      } else {
        result.completeExceptionally(failure);
      }
    }
  }
}
