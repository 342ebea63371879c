package dev.nodecache.agent.server;

import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.metrics.AgentMetrics.Proto;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client queries over one TCP connection (RFC 7766): several per connection, pipelined, answered in
 * whatever order they complete; closed when idle.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryHandling handling;
  private final AgentMetrics metrics;

  TcpQueryHandler(QueryHandling handling, AgentMetrics metrics) {
    super(ByteBuf.class); // by class: Netty would resolve the type parameter by reflection
    this.handling = handling;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    ByteBuf now =
        handling.handle(
            frame, Proto.TCP, ctx.alloc(), ctx.channel().eventLoop(), ctx::writeAndFlush);
    if (now != null) {
      ctx.write(now);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    metrics.dropped("tcp_error");
    if (!(cause instanceof IOException)) {
      log.debug("TCP error from {}", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
