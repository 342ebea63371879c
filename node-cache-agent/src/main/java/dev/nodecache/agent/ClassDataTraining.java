package dev.nodecache.agent;

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
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import sun.misc.Signal;

/**
 * One run of the agent through what it does at start and on its first queries, so that a class-data
 * archive (AppCDS) holds every class that loads: the agent image runs it under {@code
 * -XX:DumpLoadedClassList} at build time, dumps the listed classes into an archive
 * (images/agent/make-class-archive.sh) and starts the agent with {@code
 * -XX:SharedArchiveFile=agent.jsa}: classes are then mapped, already parsed and verified, instead
 * of read from the jar. The agent runs as {@link Main} runs it, on 127.0.0.1 with an upstream of
 * this class's own on 127.0.0.1: a config file, UDP and TCP queries (misses and hits), the admin
 * API, then SIGTERM.
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
    http(adminPort, "GET /cache?name=t0.training.invalid HTTP/1.1\r\n\r\n");
    String flush = "{\"id\": \"training\", \"names\": []}";
    http(
        adminPort,
        "POST /flush HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
            + flush.length()
            + "\r\n\r\n"
            + flush);
  }

  private static byte[] query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
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
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.RA);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        r.addRecord(
            new ARecord(
                q.getQuestion().getName(),
                DClass.IN,
                300,
                InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})),
            Section.ANSWER);
        byte[] wire = r.toWire();
        socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
      } catch (IOException e) {
        // closed, or a packet that was not a query
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }
}
