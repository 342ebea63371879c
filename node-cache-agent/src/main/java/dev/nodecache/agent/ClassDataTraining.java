package dev.nodecache.agent;

import dev.nodecache.agent.dns.DnsWire;
import dev.nodecache.agent.dns.DomainNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * One run of the agent through what it does at start and on its first queries, so that a class-data
 * archive (AppCDS) holds every class that loads: the agent image runs it under {@code
 * -XX:DumpLoadedClassList} at build time, dumps the listed classes into an archive
 * (images/agent/make-class-archive.sh) and starts the agent with {@code
 * -XX:SharedArchiveFile=agent.jsa}: classes are then mapped, already parsed and verified, instead
 * of read from the jar. The agent runs as {@link Main} runs it, on 127.0.0.1 with an upstream of
 * this class's own on 127.0.0.1: a config file, UDP and TCP queries (misses and hits), metrics and
 * a flush from the admin API, then SIGTERM. Not the cache listing ({@code /cache}): it reads
 * answers with dnsjava, whose 160 classes would be in every agent's memory (the JVM relocates the
 * whole archive at start, so all of it is resident) for a call an operator makes by hand.
 */
public final class ClassDataTraining {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String TOKEN = "class-data-training";

  private ClassDataTraining() {}

  public static void main(String[] args) throws Exception {
    Main.productionDefaults();
    Path dir = Files.createTempDirectory("nodecache-training");
    int exit;
    try (DatagramSocket upstream = new DatagramSocket(0, LOOPBACK)) {
      Thread answering = new Thread(() -> answerEverything(upstream), "training-upstream");
      answering.setDaemon(true);
      answering.start();
      int dnsPort = freePort();
      int adminPort = freePort();
      Files.writeString(dir.resolve("token"), TOKEN);
      Path config = dir.resolve("config.json");
      Files.writeString(
          config,
          """
          {"listen": {"addresses": ["127.0.0.1"], "port": %d, "threads": 1, "drainPeriod": "0s"},
           "upstreams": [{"zones": ["."], "servers": ["127.0.0.1:%d"], "transport": "udp"}],
           "admin": {"address": "127.0.0.1", "port": %d, "tokenFile": "%s"}}
          """
              .formatted(dnsPort, upstream.getLocalPort(), adminPort, dir.resolve("token")));
      AtomicInteger result = new AtomicInteger(-1);
      Thread agent =
          new Thread(
              () ->
                  result.set(
                      Main.run(
                          new String[] {"--config", config.toString()}, System.out, System.err)),
              "training-agent");
      agent.start();
      waitUntilReady(adminPort, agent);
      exercise(dnsPort, adminPort);
      Signal.raise(new Signal("TERM"));
      agent.join(30_000);
      exit = result.get();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
    System.exit(exit);
  }

  private static void exercise(int dnsPort, int adminPort) throws IOException {
    InetSocketAddress agent = new InetSocketAddress(LOOPBACK, dnsPort);
    try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.setSoTimeout(2000);
      for (int i = 0; i < 200; i++) {
        byte[] q = query("t" + i + ".training.invalid.");
        for (int n = 0; n < 2; n++) { // a miss, then a hit
          client.send(new DatagramPacket(q, q.length, agent));
          client.receive(new DatagramPacket(new byte[512], 512));
        }
      }
    }
    try (Socket tcp = new Socket(LOOPBACK, dnsPort)) {
      tcp.setSoTimeout(2000);
      byte[] q = query("t0.training.invalid.");
      OutputStream out = tcp.getOutputStream();
      out.write(new byte[] {(byte) (q.length >> 8), (byte) q.length});
      out.write(q);
      out.flush();
      InputStream in = tcp.getInputStream();
      int length = (in.read() << 8) | in.read();
      in.readNBytes(length);
    }
    http(adminPort, "GET /metrics HTTP/1.1\r\n\r\n");
    String flush = "{\"id\": \"training\", \"names\": []}";
    http(
        adminPort,
        "POST /flush HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
            + flush.length()
            + "\r\n\r\n"
            + flush);
  }

  /** A recursive query for {@code name}'s A records, made by hand as a stub resolver would. */
  private static byte[] query(String name) {
    byte[] wireName = DomainNames.toWire(name);
    byte[] q = new byte[DnsWire.HEADER + wireName.length + 4];
    DnsWire.putU16(q, DnsWire.ID, name.hashCode());
    DnsWire.putU16(q, DnsWire.FLAGS, DnsWire.FLAG_RD);
    DnsWire.putU16(q, DnsWire.QDCOUNT, 1);
    System.arraycopy(wireName, 0, q, DnsWire.HEADER, wireName.length);
    DnsWire.putU16(q, q.length - 4, 1); // A
    DnsWire.putU16(q, q.length - 2, 1); // IN
    return q;
  }

  /** The response's status line. */
  private static String http(int port, String request) throws IOException {
    String withHeaders =
        request.replaceFirst(
            "\r\n",
            "\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " + TOKEN + "\r\n");
    try (Socket s = new Socket(LOOPBACK, port)) {
      s.setSoTimeout(2000);
      s.getOutputStream().write(withHeaders.getBytes(StandardCharsets.US_ASCII));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return response.lines().findFirst().orElse("");
    }
  }

  private static void waitUntilReady(int adminPort, Thread agent) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline && agent.isAlive()) {
      try {
        if (http(adminPort, "GET /readyz HTTP/1.1\r\n\r\n").contains(" 200 ")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the agent did not become ready");
  }

  /** Every A question answered with 192.0.2.1, TTL 300. */
  private static void answerEverything(DatagramSocket socket) {
    byte[] buf = new byte[512];
    byte[] record = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, (byte) 192, 0, 2, 1};
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        int question = DnsWire.skipName(buf, DnsWire.HEADER, p.getLength()) + 4;
        if (question < DnsWire.HEADER + 5 || question > p.getLength()) {
          continue; // not a query with a question
        }
        byte[] r = Arrays.copyOf(buf, question + record.length);
        int flags = DnsWire.u16(buf, DnsWire.FLAGS) & DnsWire.FLAG_RD;
        DnsWire.putU16(r, DnsWire.FLAGS, flags | DnsWire.FLAG_QR | DnsWire.FLAG_RA);
        DnsWire.putU16(r, DnsWire.ANCOUNT, 1);
        DnsWire.putU16(r, DnsWire.NSCOUNT, 0);
        DnsWire.putU16(r, DnsWire.ARCOUNT, 0);
        System.arraycopy(record, 0, r, question, record.length);
        socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }
}
