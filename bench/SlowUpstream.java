import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * A cluster DNS that answers every A question with 192.0.2.1 (TTL 300) after a fixed delay, as a
 * loaded CoreDNS would, and counts what it receives: queries per 100 ms and the most outstanding
 * at once, written as CSV (ms since start, queries, most outstanding in the window) on exit or
 * when killed. It prints its start as epoch milliseconds. One thread, non-blocking: the delay is a
 * FIFO of replies due.
 *
 * <pre>java bench/SlowUpstream.java ADDR PORT DELAY_MS SECONDS OUT.csv</pre>
 */
public final class SlowUpstream {
  private record Due(long at, SocketAddress to, byte[] reply) {}

  public static void main(String[] args) throws IOException {
    InetSocketAddress at = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    long delay = Long.parseLong(args[2]) * 1_000_000L;
    long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    Path out = Path.of(args[4]);
    int windows = (int) (Long.parseLong(args[3]) * 10 + 1);
    int[] received = new int[windows];
    int[] outstandingAt = new int[windows];
    ArrayDeque<Due> due = new ArrayDeque<>();
    Thread write = new Thread(() -> write(out, received, outstandingAt));
    Runtime.getRuntime().addShutdownHook(write);
    long start = System.nanoTime();
    try (DatagramChannel ch = DatagramChannel.open();
        Selector sel = Selector.open()) {
      ch.bind(at);
      ch.configureBlocking(false);
      ch.register(sel, SelectionKey.OP_READ);
      ByteBuffer buf = ByteBuffer.allocate(512);
      System.out.println("listening on " + at + " since " + System.currentTimeMillis());
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek().at() <= now) {
          Due d = due.poll();
          ch.send(ByteBuffer.wrap(d.reply()), d.to());
        }
        int w = (int) Math.min(windows - 1, (now - start) / 100_000_000L);
        outstandingAt[w] = Math.max(outstandingAt[w], due.size());
        long wait = due.isEmpty() ? 10 : Math.max(1, (due.peek().at() - now) / 1_000_000L);
        sel.select(wait);
        sel.selectedKeys().clear();
        SocketAddress from;
        while ((from = receive(ch, buf)) != null) {
          byte[] reply = answer(buf);
          if (reply != null) {
            received[(int) Math.min(windows - 1, (System.nanoTime() - start) / 100_000_000L)]++;
            due.add(new Due(System.nanoTime() + delay, from, reply));
          }
        }
      }
    }
  }

  private static void write(Path out, int[] received, int[] outstandingAt) {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
      w.println("ms,queries,outstanding");
      for (int i = 0; i < received.length; i++) {
        w.println(i * 100 + "," + received[i] + "," + outstandingAt[i]);
      }
    } catch (IOException e) {
      System.err.println("cannot write " + out + ": " + e);
    }
  }

  private static SocketAddress receive(DatagramChannel ch, ByteBuffer buf) throws IOException {
    buf.clear();
    SocketAddress from = ch.receive(buf);
    buf.flip();
    return from;
  }

  /** The query with QR and RA set and one A record for its question; null if it is not one. */
  private static byte[] answer(ByteBuffer q) {
    int n = q.remaining();
    if (n < 17 || q.getShort(4) != 1) {
      return null;
    }
    int p = 12;
    while (p < n && q.get(p) != 0) {
      p += (q.get(p) & 0xff) + 1;
    }
    int questionEnd = p + 5;
    if (questionEnd > n) {
      return null;
    }
    byte[] r = new byte[questionEnd + 16];
    q.get(0, r, 0, questionEnd);
    r[2] = (byte) (0x80 | (r[2] & 0x79)); // QR, opcode and RD kept
    r[3] = (byte) 0x80; // RA, NOERROR
    r[6] = 0;
    r[7] = 1; // one answer
    r[8] = r[9] = r[10] = r[11] = 0; // no authority, no additional (the OPT is dropped)
    byte[] rr = {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, (byte) 192, 0, 2, 1};
    System.arraycopy(rr, 0, r, questionEnd, rr.length);
    return r;
  }
}
