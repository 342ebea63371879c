package dev.nodecache.agent.server;

import dev.nodecache.agent.metrics.AgentMetrics;
import dev.nodecache.agent.metrics.AgentMetrics.Proto;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client queries over UDP. Answers are written as they are made and flushed once per read batch;
 * the channel is never closed on an error (it serves every client).
 */
@Sharable
final class UdpQueryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final QueryHandling handling;
  private final AgentMetrics metrics;

  UdpQueryHandler(QueryHandling handling, AgentMetrics metrics) {
    this.handling = handling;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    DatagramPacket packet = (DatagramPacket) msg;
    try {
      InetSocketAddress client = packet.sender();
      ByteBuf now =
          handling.handle(
              packet.content(),
              Proto.UDP,
              ctx.alloc(),
              ctx.channel().eventLoop(),
              later -> ctx.writeAndFlush(new DatagramPacket(later, client)));
      if (now != null) {
        ctx.write(new DatagramPacket(now, client));
      }
    } finally {
      packet.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    metrics.dropped("udp_error");
    log.debug("UDP error on {}", ctx.channel().localAddress(), cause);
  }
}
