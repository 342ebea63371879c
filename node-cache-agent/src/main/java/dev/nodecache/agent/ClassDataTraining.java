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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives one run of the agent through what it does at start and in its first minutes on a node, so
 * that a class-data archive (AppCDS) holds every class the agent loads: the agent image runs it at
 * build time (images/agent/make-class-archive.sh), with the agent under {@code
 * -XX:DumpLoadedClassList}, dumps the listed classes into an archive and starts the agent with
 * {@code -XX:SharedArchiveFile=agent.jsa}: classes are then mapped, already parsed and verified,
 * instead of read from the jar.
 *
 * <p>{@code java -cp node-cache-agent.jar dev.nodecache.agent.ClassDataTraining AGENT-COMMAND...}
 * starts AGENT-COMMAND (e.g. {@code java -XX:DumpLoadedClassList=F -jar node-cache-agent.jar}) with
 * {@code --config} and a config of its own, as a process of its own, so that the list holds the
 * agent's classes and not this driver's (its sockets, formatting, files: 200 classes, 1.3 MiB of
 * every agent's memory, as the JVM relocates the whole archive at start and so all of it is
 * resident). The agent gets an upstream of this driver's on 127.0.0.1, UDP and TCP queries (misses
 * and hits, A and AAAA, NXDOMAIN, evictions), the probes, a metrics scrape, a flush of everything
 * and one of names, then SIGTERM; the driver exits with the agent's exit code. Not the cache
 * listing ({@code /cache}): it reads answers with dnsjava, whose 160 classes would be in every
 * agent's memory for a call an operator makes by hand.
 */
public final class ClassDataTraining {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String TOKEN = "class-data-training";

  /** Names asked (each a miss, then a hit): more than the cache holds, so that it evicts. */
  private static final int NAMES = 200;

  private static final int CACHE_ENTRIES = 100;

  private ClassDataTraining() {}

  public static void main(String[] agentCommand) throws Exception {
    if (agentCommand.length == 0) {
      System.err.println(
          "usage: java -cp node-cache-agent.jar dev.nodecache.agent.ClassDataTraining"
              + " java [JVM options] -jar node-cache-agent.jar");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("nodecache-training");
    Path token = dir.resolve("token");
    Path config = dir.resolve("config.json");
    int exit;
    try (DatagramSocket upstream = new DatagramSocket(0, LOOPBACK)) {
      Thread answering = new Thread(() -> answerEverything(upstream), "training-upstream");
      answering.setDaemon(true);
      answering.start();
      int dnsPort = freePort();
      int adminPort = freePort();
      Files.writeString(token, TOKEN);
      Files.writeString(
          config,
          """
          {"listen": {"addresses": ["127.0.0.1"], "port": %d, "threads": 1, "drainPeriod": "0s"},
           "upstreams": [{"zones": ["."], "servers": ["127.0.0.1:%d"], "transport": "udp"}],
           "cache": {"maxEntries": %d},
           "admin": {"address": "127.0.0.1", "port": %d, "tokenFile": "%s"}}
          """
              .formatted(dnsPort, upstream.getLocalPort(), CACHE_ENTRIES, adminPort, token));
      List<String> command = new ArrayList<>(List.of(agentCommand));
      command.addAll(List.of("--config", config.toString()));
      Process agent = new ProcessBuilder(command).inheritIO().start();
      try {
        waitUntilReady(adminPort, agent);
        exercise(dnsPort, adminPort);
        agent.destroy(); // SIGTERM
        if (!agent.waitFor(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the agent did not stop within 30 s of SIGTERM");
        }
        exit = agent.exitValue();
      } finally {
        agent.destroyForcibly();
      }
    } finally {
      Files.deleteIfExists(token);
      Files.deleteIfExists(config);
      Files.deleteIfExists(dir);
    }
    System.exit(exit);
  }

  private static void exercise(int dnsPort, int adminPort) throws IOException {
    InetSocketAddress agent = new InetSocketAddress(LOOPBACK, dnsPort);
    try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      client.setSoTimeout(2000);
      for (int i = 0; i < NAMES; i++) {
        for (String name :
            List.of("t" + i + ".training.invalid.", "nx" + i + ".training.invalid.")) {
          for (int type : new int[] {DnsWire.TYPE_A, DnsWire.TYPE_AAAA}) {
            byte[] q = query(name, type);
            for (int n = 0; n < 2; n++) { // a miss, then a hit
              client.send(new DatagramPacket(q, q.length, agent));
              client.receive(new DatagramPacket(new byte[512], 512));
            }
          }
        }
      }
    }
    try (Socket tcp = new Socket(LOOPBACK, dnsPort)) {
      tcp.setSoTimeout(2000);
      byte[] q = query("t0.training.invalid.", DnsWire.TYPE_A);
      OutputStream out = tcp.getOutputStream();
      out.write(new byte[] {(byte) (q.length >> 8), (byte) q.length});
      out.write(q);
      out.flush();
      InputStream in = tcp.getInputStream();
      int length = (in.read() << 8) | in.read();
      in.readNBytes(length);
    }
    for (String probe : List.of("/metrics", "/healthz", "/readyz")) {
      ok(probe, http(adminPort, "GET " + probe + " HTTP/1.1\r\n\r\n"));
    }
    post(adminPort, "/flush", "{\"id\": \"training-1\", \"names\": []}");
    post(adminPort, "/flush", "{\"id\": \"training-2\", \"names\": [\"*.training.invalid\"]}");
  }

  private static void post(int adminPort, String path, String body) throws IOException {
    ok(
        "POST " + path,
        http(
            adminPort,
            "POST "
                + path
                + " HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body));
  }

  /** A refused request would leave its classes out of the archive without a word: stop instead. */
  private static void ok(String request, String statusLine) {
    if (!statusLine.contains(" 200 ")) {
      throw new IllegalStateException(request + " answered \"" + statusLine + "\"");
    }
  }

  /** A recursive query for {@code name}, made by hand as a stub resolver would. */
  private static byte[] query(String name, int type) {
    byte[] wireName = DomainNames.toWire(name);
    byte[] q = new byte[DnsWire.HEADER + wireName.length + 4];
    DnsWire.putU16(q, DnsWire.ID, name.hashCode());
    DnsWire.putU16(q, DnsWire.FLAGS, DnsWire.FLAG_RD);
    DnsWire.putU16(q, DnsWire.QDCOUNT, 1);
    System.arraycopy(wireName, 0, q, DnsWire.HEADER, wireName.length);
    DnsWire.putU16(q, q.length - 4, type);
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

  private static void waitUntilReady(int adminPort, Process agent) throws Exception {
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
    throw new IllegalStateException(
        agent.isAlive()
            ? "the agent did not become ready within 20 s"
            : "the agent exited with " + agent.exitValue());
  }

  /**
   * A questions get 192.0.2.1 (TTL 300); other types NODATA, and names whose first label starts
   * with "nx" NXDOMAIN, each with an SOA (TTL 60).
   */
  private static void answerEverything(DatagramSocket socket) {
    byte[] buf = new byte[512];
    byte[] a = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, (byte) 192, 0, 2, 1};
    byte[] soa = new byte[12 + 2 + 20];
    byte[] soaHead = {(byte) 0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 60, 0, 22};
    System.arraycopy(soaHead, 0, soa, 0, soaHead.length); // root MNAME and RNAME, zero numbers
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        int question = DnsWire.skipName(buf, DnsWire.HEADER, p.getLength()) + 4;
        if (question < DnsWire.HEADER + 5 || question > p.getLength()) {
          continue; // not a query with a question
        }
        boolean nx = buf[DnsWire.HEADER + 1] == 'n' && buf[DnsWire.HEADER + 2] == 'x';
        boolean typeA = DnsWire.u16(buf, question - 4) == DnsWire.TYPE_A;
        byte[] record = nx || !typeA ? soa : a;
        byte[] r = Arrays.copyOf(buf, question + record.length);
        int flags = DnsWire.u16(buf, DnsWire.FLAGS) & DnsWire.FLAG_RD;
        flags |= DnsWire.FLAG_QR | DnsWire.FLAG_RA | (nx ? DnsWire.RCODE_NXDOMAIN : 0);
        DnsWire.putU16(r, DnsWire.FLAGS, flags);
        DnsWire.putU16(r, DnsWire.ANCOUNT, record == a ? 1 : 0);
        DnsWire.putU16(r, DnsWire.NSCOUNT, record == soa ? 1 : 0);
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
