package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET .../pods/NAME/log}: the pod's container output as the kubelet serves it through the
 * API server ({@code kubectl logs}, {@code -f}, {@code --tail}, {@code --limit-bytes}), from the
 * file the simulated kubelet writes; 404 for a pod that does not exist.
 */
final class PodLogs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_READ = 8 << 20;
  private static final long FOLLOW_AT_MOST_MILLIS = 24L * 3600 * 1000;

  private final ApiStorage storage;
  private final PodLogFiles files;

  PodLogs(ApiStorage storage, PodLogFiles files) {
    this.storage = storage;
    this.files = files;
  }

  /** The log file to serve, after the API server's checks; throws ApiError otherwise. */
  Path file(ResourceKind pods, ResourcePath path) throws IOException {
    ApiStorage.Reply r = storage.get(path.objectPath(pods));
    if (r.code() == 404) {
      throw ApiError.notFound(pods, path.name());
    }
    JsonNode pod = JSON.readTree(r.body());
    Path file = files == null ? null : files.of(path.namespace(), path.name());
    if (file == null || !Files.exists(file)) {
      String container = pod.path("spec").path("containers").path(0).path("name").asText("");
      throw ApiError.badRequest(
          "container \""
              + container
              + "\" in pod \""
              + path.name()
              + "\" is waiting to start: ContainerCreating");
    }
    return file;
  }

  /** Writes the log (its last {@code tailLines}, all if negative), then follows it if asked. */
  void write(
      Path file,
      long tailLines,
      long limitBytes,
      boolean follow,
      OutputStream out,
      ResourceKind pods,
      ResourcePath path)
      throws IOException, InterruptedException {
    long size = Files.size(file);
    long from = Math.max(0, size - MAX_READ);
    byte[] bytes = read(file, from, size);
    int start = tailLines < 0 ? 0 : tailStart(bytes, tailLines);
    long written = 0;
    int length = bytes.length - start;
    if (limitBytes > 0) {
      length = (int) Math.min(length, limitBytes);
    }
    out.write(bytes, start, length);
    out.flush();
    written += length;
    long position = size;
    long deadline = System.currentTimeMillis() + FOLLOW_AT_MOST_MILLIS;
    int polls = 0;
    while (follow
        && System.currentTimeMillis() < deadline
        && (limitBytes <= 0 || written < limitBytes)) {
      Thread.sleep(200);
      if (++polls % 10 == 0 && storage.get(path.objectPath(pods)).code() == 404) {
        return; // the pod is gone, and so is its container
      }
      if (!Files.exists(file)) {
        return;
      }
      long now = Files.size(file);
      if (now > position) {
        byte[] more = read(file, position, Math.min(now, position + MAX_READ));
        int n = limitBytes > 0 ? (int) Math.min(more.length, limitBytes - written) : more.length;
        out.write(more, 0, n);
        out.flush();
        written += n;
        position += more.length;
      } else if (now < position) {
        position = 0; // replaced
      }
    }
  }

  private static byte[] read(Path file, long from, long to) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      byte[] b = new byte[(int) Math.max(0, to - from)];
      f.seek(from);
      f.readFully(b);
      return b;
    }
  }

  /** Where the last {@code lines} lines start. */
  static int tailStart(byte[] bytes, long lines) {
    if (lines == 0) {
      return bytes.length;
    }
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
    }
    long seen = 0;
    for (int i = end - 1; i >= 0; i--) {
      if (bytes[i] == '\n' && ++seen == lines) {
        return i + 1;
      }
    }
    return 0;
  }
}
