package dev.nodecache.local.flush;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A loopback DNS server whose A answers the test can change (an upstream that migrates). */
final class TestUpstream implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private volatile boolean closed;

  TestUpstream(String ip) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0));
    Thread t = new Thread(this::serve, "test-upstream");
    t.setDaemon(true);
    t.start();
  }

  String address() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  void answer(String name, String ip) {
    answers.put(name.toLowerCase(), ip);
  }

  int asked(String name) {
    AtomicInteger n = asked.get(name.toLowerCase());
    return n == null ? 0 : n.get();
  }

  private void serve() {
    byte[] buf = new byte[4096];
    while (!closed) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message q = new Message(Arrays.copyOf(buf, p.getLength()));
        Record question = q.getQuestion();
        String name = question.getName().toString(true).toLowerCase();
        asked.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RA);
        r.addRecord(question, Section.QUESTION);
        String ip = answers.get(name);
        if (ip != null && question.getType() == Type.A) {
          r.addRecord(
              new ARecord(Name.fromString(name + "."), DClass.IN, 300, InetAddress.getByName(ip)),
              Section.ANSWER);
        } else {
          r.getHeader().setRcode(Rcode.REFUSED);
        }
        byte[] wire = r.toWire();
        socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
