package dev.nodecache.kubectl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * HTTP/1.0 over a Unix socket (kubectl proxy's): one connection per request, the answer read to its
 * end, so there is no chunking or keep-alive to handle. The JDK's HTTP client has no Unix sockets.
 */
final class UnixHttp {
  record Response(int code, String body) {}

  private final Path socket;

  UnixHttp(Path socket) {
    this.socket = socket;
  }

  Response send(String method, String path, Map<String, String> headers, String body)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.0\r\n");
    head.append("Host: localhost\r\nAccept: application/json\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      head.append("Content-Length: ").append(content.length).append("\r\n");
    }
    head.append("\r\n");
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.allocate(head.length() * 3 + content.length);
      out.put(head.toString().getBytes(StandardCharsets.UTF_8)).put(content).flip();
      while (out.hasRemaining()) {
        ch.write(out);
      }
      InputStream in = Channels.newInputStream(ch);
      return parse(in.readAllBytes());
    }
  }

  private static Response parse(byte[] raw) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    if (end < 0) {
      throw new IOException("kubectl proxy closed the connection without an answer");
    }
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] status = head.split("\r\n", 2)[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + status[0]);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(raw, end + 4, raw.length - end - 4);
    return new Response(Integer.parseInt(status[1]), body.toString(StandardCharsets.UTF_8));
  }

  private static int indexOf(byte[] a, byte[] b) {
    outer:
    for (int i = 0; i + b.length <= a.length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
