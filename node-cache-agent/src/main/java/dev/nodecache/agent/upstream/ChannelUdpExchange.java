package dev.nodecache.agent.upstream;

import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The UDP exchange over a Netty channel, for the NIO transport: a channel per query, bound to port
 * 0.
 */
final class ChannelUdpExchange implements UdpExchange {
  private final IoTransport transport;
  private final AgentMetrics metrics;

  ChannelUdpExchange(IoTransport transport, AgentMetrics metrics) {
    this.transport = transport;
    this.metrics = metrics;
  }

  @Override
  public CompletableFuture<byte[]> send(
      EventLoop loop, InetSocketAddress server, byte[] query, long timeoutMillis) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channelFactory(transport.datagram(server.getAddress()))
            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65535))
            .handler(new ReplyHandler(server, query, result));
    ChannelFuture bound = b.bind(0);
    bound.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(new UpstreamFailure("bind: " + f.cause().getMessage()));
            return;
          }
          Channel ch = bound.channel();
          var timeout =
              loop.schedule(
                  () -> result.completeExceptionally(new UpstreamFailure("timeout")),
                  timeoutMillis,
                  TimeUnit.MILLISECONDS);
          result.whenComplete(
              (r, e) -> {
                timeout.cancel(false);
                ch.close();
              });
          ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(query), server))
              .addListener(
                  w -> {
                    if (!w.isSuccess()) {
                      result.completeExceptionally(
                          new UpstreamFailure("send: " + w.cause().getMessage()));
                    }
                  });
        });
    return result;
  }

  private final class ReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final InetSocketAddress server;
    private final byte[] query;
    private final CompletableFuture<byte[]> result;

    ReplyHandler(InetSocketAddress server, byte[] query, CompletableFuture<byte[]> result) {
      super(DatagramPacket.class); // by class: Netty would resolve the type parameter by reflection
      this.server = server;
      this.query = query;
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      byte[] reply = ByteBufUtil.getBytes(packet.content());
      if (ReplyMatcher.accepts(packet.sender(), server, reply, query, metrics)) {
        result.complete(reply);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP port unreachable arrives here on a connected-less socket as PortUnreachable
      result.completeExceptionally(new UpstreamFailure(String.valueOf(cause.getMessage())));
    }
  }
}
