package dev.nodecache.agent.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * An upstream DNS server on real loopback sockets (UDP and TCP on one port) that does what the
 * scenario scripts: answer, delay, stay silent, truncate, send wrong ids, wrong questions, garbage,
 * or a reply from another port. Unscripted questions get REFUSED.
 */
public final class ScriptedUpstream implements AutoCloseable {
  /** One packet to send back: after {@code delayMillis}, from another socket if spoofed. */
  public record Send(byte[] wire, long delayMillis, boolean fromOtherPort) {}

  /** Where the replies go: UDP or TCP, so a script can answer differently. */
  public enum Via {
    UDP,
    TCP
  }

  private final DatagramSocket udp;
  private final DatagramSocket spoofer;
  private final ServerSocket tcp;
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final List<Integer> udpSourcePorts = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;
  private volatile Script otherwise;

  /** What to do with one question: a function of the query and the transport. */
  public interface Script {
    List<Send> respond(Message query, Via via);
  }

  public ScriptedUpstream(String address) throws IOException {
    InetAddress a = InetAddress.getByAddress(ipv4(address));
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int attempt = 0; attempt < 20 && t == null; attempt++) {
      u = new DatagramSocket(new InetSocketAddress(a, 0));
      try {
        t = new ServerSocket();
        t.setReuseAddress(true);
        t.bind(new InetSocketAddress(a, u.getLocalPort()));
      } catch (IOException taken) {
        u.close();
        t = null;
      }
    }
    if (t == null) {
      throw new IOException("no free port on " + address);
    }
    this.udp = u;
    this.tcp = t;
    this.spoofer = new DatagramSocket(new InetSocketAddress(a, 0));
    start("upstream-udp", this::serveUdp);
    start("upstream-tcp", this::acceptTcp);
  }

  public String address() {
    return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort();
  }

  public int port() {
    return udp.getLocalPort();
  }

  /** Scripts the answers to (name, type); the name is matched case-insensitively. */
  public void on(String name, int type, Script script) {
    scripts.put(key(name, type), script);
  }

  /** Scripts the answers to every question not scripted by name. */
  public void otherwise(Script script) {
    otherwise = script;
  }

  /** A plain answer: the records given, over both transports. */
  public void answer(String name, int type, Record... records) {
    on(name, type, (q, via) -> List.of(send(Replies.answer(q, records))));
  }

  /** How many queries for (name, type) arrived, over both transports. */
  public int count(String name, int type) {
    AtomicInteger n = counts.get(key(name, type));
    return n == null ? 0 : n.get();
  }

  public int count(String name, int type, Via via) {
    AtomicInteger n = counts.get(key(name, type) + "/" + via);
    return n == null ? 0 : n.get();
  }

  /** The source port of every UDP query received, in order. */
  public List<Integer> udpSourcePorts() {
    return udpSourcePorts;
  }

  public List<Message> received() {
    return received;
  }

  public static Send send(Message reply) {
    return new Send(reply.toWire(), 0, false);
  }

  public static Send send(byte[] wire) {
    return new Send(wire, 0, false);
  }

  public static Send delayed(long millis, Message reply) {
    return new Send(reply.toWire(), millis, false);
  }

  public static Send fromOtherPort(Message reply) {
    return new Send(reply.toWire(), 0, true);
  }

  private List<Send> respond(Message q, Via via) {
    Record question = q.getQuestion();
    String k = key(question.getName().toString(), question.getType());
    counts.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
    counts.computeIfAbsent(k + "/" + via, x -> new AtomicInteger()).incrementAndGet();
    received.add(q);
    Script s = scripts.getOrDefault(k, otherwise);
    if (s == null) {
      Message refused = Replies.reply(q);
      refused.getHeader().setRcode(Rcode.REFUSED);
      return List.of(send(refused));
    }
    return s.respond(q, via);
  }

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        SocketAddress client = p.getSocketAddress();
        udpSourcePorts.add(p.getPort());
        for (Send s : respond(q, Via.UDP)) {
          sender.schedule(
              () -> {
                try {
                  DatagramSocket from = s.fromOtherPort() ? spoofer : udp;
                  from.send(new DatagramPacket(s.wire(), s.wire().length, client));
                } catch (IOException e) {
                  // the test sees the missing reply
                }
              },
              s.delayMillis(),
              TimeUnit.MILLISECONDS);
        }
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      try {
        Socket c = tcp.accept();
        start("upstream-tcp-conn", () -> serveTcp(c));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveTcp(Socket c) {
    try (c;
        DataInputStream in = new DataInputStream(c.getInputStream());
        DataOutputStream out = new DataOutputStream(c.getOutputStream())) {
      while (!closed) {
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        for (Send s : respond(new Message(query), Via.TCP)) {
          if (s.delayMillis() > 0) {
            Thread.sleep(s.delayMillis());
          }
          synchronized (out) {
            out.writeShort(s.wire().length);
            out.write(s.wire());
            out.flush();
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // connection over
    }
  }

  private void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    threads.add(t);
  }

  private static String key(String name, int type) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return (n.endsWith(".") ? n : n + ".") + "/" + Type.string(type);
  }

  private static byte[] ipv4(String dotted) {
    String[] p = dotted.split("\\.");
    return new byte[] {
      (byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
      (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])
    };
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    spoofer.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    sender.shutdownNow();
  }
}
