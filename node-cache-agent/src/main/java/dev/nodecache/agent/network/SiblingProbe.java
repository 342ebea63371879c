package dev.nodecache.agent.network;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Whether another agent instance still answers on an address (an upgrade in progress): asked after
 * this instance closed its sockets, so any answer is someone else's.
 */
public final class SiblingProbe {
  private SiblingProbe() {}

  public static boolean answers(InetAddress address, int port) {
    byte[] query = { // id 0x4e43, RD, one question: ". IN NS"
      0x4e, 0x43, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1
    };
    for (int attempt = 0; attempt < 3; attempt++) {
      try (DatagramSocket s = new DatagramSocket()) {
        s.setSoTimeout(300);
        s.send(new DatagramPacket(query, query.length, new InetSocketAddress(address, port)));
        byte[] buf = new byte[512];
        s.receive(new DatagramPacket(buf, buf.length));
        return buf[0] == 0x4e && buf[1] == 0x43;
      } catch (IOException e) {
        // no answer this time
      }
    }
    return false;
  }
}
