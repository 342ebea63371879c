package dev.nodecache.local.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The local cluster's own DNS server, on a loopback address: it is the kube-dns Service, a real
 * cluster DNS for cluster.local answering from the API's Services and EndpointSlices ({@link
 * ClusterZone}), and what the simulated nodes' resolv.conf points to (a few example names), so that
 * nothing the local cluster does sends a query off the machine.
 */
public final class LocalDns implements AutoCloseable {
  /** One name it knows: its address and TTL. */
  record Answer(String ip, long ttl) {}

  /**
   * The names it knows; everything else is NXDOMAIN. api.example.com has a long TTL, as a real
   * record often has before a migration, so that a migration's TTL cap is visible in dig.
   */
  static final Map<String, Answer> RECORDS =
      Map.of(
          "example.com.", new Answer("192.0.2.10", 300),
          "www.example.com.", new Answer("192.0.2.10", 300),
          "api.example.com.", new Answer("192.0.2.20", 3600));

  /** The TTL of every cluster answer and of its negative answers (CoreDNS's default is 5). */
  static final long CLUSTER_TTL = 30;

  private volatile ClusterZone cluster;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private volatile boolean closed;

  public LocalDns(InetSocketAddress at) throws IOException {
    udp = new DatagramSocket(at);
    tcp = new ServerSocket();
    try {
      tcp.setReuseAddress(true);
      tcp.bind(at);
    } catch (IOException e) {
      udp.close();
      tcp.close();
      throw e;
    }
    daemon("local-dns-udp", this::serveUdp);
    daemon("local-dns-tcp", this::serveTcp);
  }

  public String address() {
    return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort();
  }

  /** From now on cluster.local is answered from this API (through its informers). */
  public void follow(KubernetesClient client) {
    cluster = new ClusterZone(client, "cluster.local");
  }

  private byte[] answer(byte[] query) throws IOException {
    return answer(query, cluster);
  }

  static byte[] answer(byte[] query, ClusterZone zone) throws IOException {
    Message q = new Message(query);
    Record question = q.getQuestion();
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    if (q.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
    }
    r.getHeader().setFlag(Flags.RA);
    r.addRecord(question, Section.QUESTION);
    String name = question.getName().toString().toLowerCase();
    if (zone != null && zone.covers(name)) {
      ClusterAnswer.fill(r, zone, question, RECORDS);
      return r.toWire();
    }
    Answer known = RECORDS.get(name);
    if (known != null && question.getType() == Type.A) {
      r.addRecord(
          new ARecord(
              question.getName(), DClass.IN, known.ttl(), InetAddress.getByName(known.ip())),
          Section.ANSWER);
    } else {
      r.getHeader().setRcode(known != null ? Rcode.NOERROR : Rcode.NXDOMAIN);
      r.addRecord(soa(Name.root, 60, 30), Section.AUTHORITY);
    }
    return r.toWire();
  }

  static SOARecord soa(Name zone, long ttl, long minimum) throws IOException {
    return new SOARecord(
        zone,
        DClass.IN,
        ttl,
        Name.fromString("ns.local."),
        Name.fromString("hostmaster.local."),
        1,
        3600,
        600,
        86400,
        minimum);
  }

  private void serveUdp() {
    byte[] buf = new byte[4096];
    while (!closed) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        byte[] reply = answer(Arrays.copyOf(buf, p.getLength()));
        udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveTcp() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        daemon(
            "local-dns-tcp-conn",
            () -> {
              try (s;
                  DataInputStream in = new DataInputStream(s.getInputStream());
                  DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                s.setSoTimeout(10_000);
                while (true) {
                  byte[] q = new byte[in.readUnsignedShort()];
                  in.readFully(q);
                  byte[] reply = answer(q);
                  out.writeShort(reply.length);
                  out.write(reply);
                  out.flush();
                }
              } catch (IOException e) {
                // connection over
              }
            });
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    if (cluster != null) {
      cluster.close();
    }
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
