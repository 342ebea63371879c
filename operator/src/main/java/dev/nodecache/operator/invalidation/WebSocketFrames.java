package dev.nodecache.operator.invalidation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The client's half of RFC 6455, as much as the invalidation stream needs: the upgrade request and
 * its answer, masked text frames out, and the server's unmasked frames in.
 */
final class WebSocketFrames {
  static final int TEXT = 0x1;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WebSocketFrames() {}

  /** A frame read from the server. */
  record Frame(boolean fin, int opcode, byte[] payload) {}

  /** The upgrade was answered with something else than 101: {@code status}, 0 if unreadable. */
  static final class UpgradeRefused extends RuntimeException {
    final int status;

    UpgradeRefused(int status, String why) {
      super(why);
      this.status = status;
    }
  }

  static String newKey(SecureRandom random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  static ByteBuffer upgradeRequest(String hostPort, String path, String key, String token) {
    String r =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + hostPort
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n";
    return ByteBuffer.wrap(r.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Reads the upgrade's answer from {@code in} (flipped for reading): false while its head is not
   * complete, true once a valid 101 is consumed; throws {@link UpgradeRefused} for anything else.
   */
  static boolean readUpgrade(ByteBuffer in, String key) {
    int end = headEnd(in);
    if (end < 0) {
      if (in.remaining() > 16 * 1024) {
        throw new UpgradeRefused(0, "no end to the upgrade's answer in 16 KiB");
      }
      return false;
    }
    byte[] head = new byte[end - in.position()];
    in.get(head);
    in.position(end + 4);
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = lines[0].split(" ", 3);
    int code;
    try {
      code = status.length >= 2 ? Integer.parseInt(status[1]) : 0;
    } catch (NumberFormatException e) {
      code = 0;
    }
    if (code != 101) {
      throw new UpgradeRefused(code, "HTTP " + code + " to the stream's upgrade");
    }
    String accept = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0
          && lines[i]
              .substring(0, colon)
              .trim()
              .toLowerCase(Locale.ROOT)
              .equals("sec-websocket-accept")) {
        accept = lines[i].substring(colon + 1).trim();
      }
    }
    if (!accept(key).equals(accept)) {
      throw new UpgradeRefused(101, "the upgrade's answer has a wrong Sec-WebSocket-Accept");
    }
    return true;
  }

  static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  private static int headEnd(ByteBuffer in) {
    for (int i = in.position(); i + 3 < in.limit(); i++) {
      if (in.get(i) == '\r'
          && in.get(i + 1) == '\n'
          && in.get(i + 2) == '\r'
          && in.get(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** One masked frame from the client (RFC 6455 §5.3: every client frame is masked). */
  static ByteBuffer frame(int opcode, byte[] payload, int mask) {
    int len = payload.length;
    int header = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
    ByteBuffer out = ByteBuffer.allocate(header + 4 + len);
    out.put((byte) (0x80 | opcode));
    if (len < 126) {
      out.put((byte) (0x80 | len));
    } else if (len <= 0xFFFF) {
      out.put((byte) (0x80 | 126)).putShort((short) len);
    } else {
      out.put((byte) (0x80 | 127)).putLong(len);
    }
    out.putInt(mask);
    byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    for (int i = 0; i < len; i++) {
      out.put((byte) (payload[i] ^ m[i & 3]));
    }
    return out.flip();
  }

  /**
   * The next whole frame in {@code in} (flipped for reading), consumed; null while it is not whole.
   * Frames from a server are not masked; one that is, or one longer than {@code max}, is refused.
   */
  static Frame next(ByteBuffer in, int max) {
    if (in.remaining() < 2) {
      return null;
    }
    int at = in.position();
    int b0 = in.get(at) & 0xFF;
    int b1 = in.get(at + 1) & 0xFF;
    if ((b1 & 0x80) != 0) {
      throw new IllegalStateException("a masked frame from the server");
    }
    long len = b1 & 0x7F;
    int header = 2;
    if (len == 126) {
      if (in.remaining() < 4) {
        return null;
      }
      len = in.getShort(at + 2) & 0xFFFF;
      header = 4;
    } else if (len == 127) {
      if (in.remaining() < 10) {
        return null;
      }
      len = in.getLong(at + 2);
      header = 10;
    }
    if (len < 0 || len > max) {
      throw new IllegalStateException("a frame of " + len + " bytes (at most " + max + ")");
    }
    if (in.remaining() < header + len) {
      return null;
    }
    byte[] payload = new byte[(int) len];
    in.position(at + header);
    in.get(payload);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
  }
}
