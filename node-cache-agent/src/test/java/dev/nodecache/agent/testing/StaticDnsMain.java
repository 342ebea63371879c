package dev.nodecache.agent.testing;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A trivial upstream for tests in other network namespaces: every A query gets 192.0.2.53. */
public final class StaticDnsMain {
  private StaticDnsMain() {}

  public static void main(String[] args) throws Exception {
    try (DatagramSocket s =
        new DatagramSocket(
            new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])))) {
      System.out.println("static dns on " + args[0] + ":" + args[1]);
      byte[] buf = new byte[4096];
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        try {
          Message q = new Message(Arrays.copyOf(buf, p.getLength()));
          Message r = new Message(q.getHeader().getID());
          r.getHeader().setFlag(Flags.QR);
          r.getHeader().setFlag(Flags.RA);
          r.getHeader().setFlag(Flags.RD);
          r.addRecord(q.getQuestion(), Section.QUESTION);
          if (q.getQuestion().getType() == Type.A) {
            r.addRecord(
                new ARecord(
                    q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName("192.0.2.53")),
                Section.ANSWER);
          }
          byte[] w = r.toWire();
          s.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
        } catch (Exception e) {
          // not a query we can answer
        }
      }
    }
  }
}
