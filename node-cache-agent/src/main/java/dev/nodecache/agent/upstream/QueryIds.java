package dev.nodecache.agent.upstream;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Upstream query ids from the kernel's CSPRNG (RFC 5452 §9.2): guessing one must take 65536 tries.
 * Read straight from {@code /dev/urandom}, the source {@code SecureRandom} itself reads on Linux,
 * without the security provider framework (about 70 classes, 0.5 MiB of an idle agent). Each thread
 * reads a block at a time, so a miss costs a system call only once per 256 ids.
 */
final class QueryIds {
  private static final String SOURCE = "/dev/urandom";
  private static final ThreadLocal<QueryIds> PER_THREAD =
      ThreadLocal.withInitial(() -> new QueryIds(Urandom.STREAM));

  private final InputStream source;
  private final byte[] block = new byte[512];
  private int next = block.length;

  /** Reads {@code source}, shared between threads: every read of /dev/urandom gives fresh bytes. */
  QueryIds(InputStream source) {
    this.source = source;
  }

  static int next() {
    return PER_THREAD.get().nextId();
  }

  int nextId() {
    if (next == block.length) {
      refill();
    }
    int id = (block[next] & 0xff) << 8 | block[next + 1] & 0xff;
    next += 2;
    return id;
  }

  private void refill() {
    try {
      if (source.readNBytes(block, 0, block.length) != block.length) {
        throw new IOException("end of stream");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read random query ids from " + SOURCE, e);
    }
    next = 0;
  }

  /** One descriptor for the process, opened at the first miss, as SecureRandom keeps its own. */
  private static final class Urandom {
    static final InputStream STREAM = open();

    private static InputStream open() {
      try {
        return new FileInputStream(SOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open " + SOURCE + " for random query ids", e);
      }
    }
  }
}
