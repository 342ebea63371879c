package dev.nodecache.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nodecache.operator.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's release archive is what its krew manifest says, and installed as krew installs it
 * (the files side by side in one directory) it runs.
 */
class KrewArchiveTest {
  static final Path ARCHIVE =
      Fixtures.ROOT.resolve("kubectl-plugin/target/kubectl-nodecache.tar.gz");
  static final Path MANIFEST = Fixtures.ROOT.resolve("kubectl-plugin/krew/nodecache.yaml");

  @Test
  void theManifestNamesExactlyTheArchivesFilesAndItsLaunchersAreExecutable(@TempDir Path dir)
      throws Exception {
    Map<String, Integer> modes = unpack(ARCHIVE, dir);
    JsonNode platform =
        new ObjectMapper(new YAMLFactory()).readTree(MANIFEST.toFile()).at("/spec/platforms/0");
    TreeSet<String> named = new TreeSet<>();
    platform.get("files").forEach(f -> named.add(f.get("from").asText()));
    assertEquals(named, new TreeSet<>(modes.keySet()));
    assertEquals("kubectl-nodecache", platform.get("bin").asText());
    assertEquals(0755, modes.get("kubectl-nodecache"));
    assertEquals(0755, modes.get("kubectl_complete-nodecache"));

    ProcessBuilder run =
        new ProcessBuilder(dir.resolve("kubectl-nodecache").toString(), "version")
            .redirectErrorStream(true);
    Process p = run.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("kubectl-nodecache 0."), out);
  }

  /** A tar.gz into {@code dir}: file name → mode. */
  static Map<String, Integer> unpack(Path archive, Path dir) throws IOException {
    Map<String, Integer> modes = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      while (true) {
        byte[] header = in.readNBytes(512);
        if (header.length < 512 || header[0] == 0) {
          return modes;
        }
        String name = field(header, 0, 100);
        int mode = Integer.parseInt(field(header, 100, 8).strip(), 8) & 0777;
        long size = Long.parseLong(field(header, 124, 12).strip(), 8);
        byte[] content = in.readNBytes((int) size);
        in.readNBytes((int) ((512 - size % 512) % 512));
        if (header[156] == '0' || header[156] == 0) {
          Path f = dir.resolve(name);
          Files.write(f, content);
          Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(rwx(mode)));
          modes.put(name, mode);
        }
      }
    }
  }

  private static String field(byte[] h, int at, int length) {
    int end = at;
    while (end < at + length && h[end] != 0) {
      end++;
    }
    return new String(h, at, end - at, StandardCharsets.US_ASCII);
  }

  private static String rwx(int mode) {
    StringBuilder b = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int m = mode >> shift;
      b.append((m & 4) != 0 ? 'r' : '-').append((m & 2) != 0 ? 'w' : '-');
      b.append((m & 1) != 0 ? 'x' : '-');
    }
    return b.toString();
  }
}
