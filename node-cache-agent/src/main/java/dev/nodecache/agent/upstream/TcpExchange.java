package dev.nodecache.agent.upstream;

import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.net.IoTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One query over a TCP connection of its own (RFC 7766 framing: a 2-byte length prefix). */
final class TcpExchange {
  private final IoTransport transport;
  private final AgentMetrics metrics;

  TcpExchange(IoTransport transport, AgentMetrics metrics) {
    this.transport = transport;
    this.metrics = metrics;
  }

  CompletableFuture<byte[]> send(
      EventLoop loop, InetSocketAddress server, byte[] query, long timeoutMillis) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channelFactory(transport.socket())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeoutMillis))
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2))
                        .addLast(new ReplyHandler(query, result));
                  }
                });
    var timeout =
        loop.schedule(
            () -> result.completeExceptionally(new UpstreamFailure("timeout")),
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    ChannelFuture connected = b.connect(server);
    result.whenComplete(
        (r, e) -> {
          timeout.cancel(false);
          connected.channel().close();
        });
    connected.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(new UpstreamFailure("connect: " + f.cause().getMessage()));
            return;
          }
          ByteBuf framed = connected.channel().alloc().ioBuffer(2 + query.length);
          framed.writeShort(query.length).writeBytes(query);
          connected.channel().writeAndFlush(framed);
        });
    return result;
  }

  private final class ReplyHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final byte[] query;
    private final CompletableFuture<byte[]> result;

    ReplyHandler(byte[] query, CompletableFuture<byte[]> result) {
      super(ByteBuf.class); // by class: Netty would resolve the type parameter by reflection
      this.query = query;
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      byte[] reply = ByteBufUtil.getBytes(frame);
      if (ReplyMatcher.answers(reply, query, metrics)) {
        result.complete(reply);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new UpstreamFailure("connection closed before the reply"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(new UpstreamFailure(String.valueOf(cause.getMessage())));
      ctx.close();
    }
  }
}
