package dev.nodecache.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent image's class-data archive, made by the script images/agent/Dockerfile runs (a training
 * run of the packaged jar, then a static dump of the classes it loaded), holds the agent's own
 * classes, Netty's and the JDK's, and a JVM started with it maps them ({@code -Xshare:on} refuses
 * to start otherwise). The training's driver runs in a JVM of its own, so none of its classes is in
 * the archive. The same run shows the packaged jar logging through the agent's own lines, without
 * starting java.util.logging.
 */
class ClassDataArchiveIT {
  static final String JAR = System.getProperty("agent.jar", "target/node-cache-agent.jar");
  static final Path SCRIPT = Path.of("..", "images", "agent", "make-class-archive.sh");
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  @Test
  void theTrainingRunMakesAnArchiveThatTheAgentsClassesAreMappedFrom() throws Exception {
    Path archive = dir.resolve("agent.jsa");
    Path made = dir.resolve("make.log");
    ProcessBuilder make =
        new ProcessBuilder("sh", SCRIPT.toString(), JAR, archive.toString())
            .redirectErrorStream(true)
            .redirectOutput(made.toFile());
    make.environment().put("JAVA_HOME", System.getProperty("java.home"));
    assertEquals(0, waitFor(make.start(), made), () -> read(made));
    assertTrue(Files.size(archive) > 1_000_000, "archive of " + Files.size(archive) + " bytes");
    assertFalse(Files.exists(Path.of(archive + ".classlist")), "the class list is removed");

    Path listing = dir.resolve("listing.log");
    assertEquals(
        0,
        java(
            listing,
            "-XX:SharedArchiveFile=" + archive,
            "-XX:+PrintSharedArchiveAndExit",
            "-cp",
            JAR),
        () -> read(listing));
    String archived = read(listing);
    assertTrue(
        archived.contains(" dev.nodecache.agent.NodeCacheAgent app_loader\n"),
        "no agent class in the archive");
    for (String driverOnly :
        List.of(
            "dev.nodecache.agent.ClassDataTraining",
            "java.net.DatagramSocket",
            "java.net.Socket",
            "java.util.Formatter")) {
      assertFalse(
          archived.contains(" " + driverOnly + " "),
          driverOnly + ", a class of the training's driver, is in the archive");
    }

    Path used = dir.resolve("with-archive.log");
    assertEquals(
        0,
        training(used, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"),
        () -> read(used));
    String log = read(used);
    for (String c :
        List.of(
            "java.lang.Object",
            "dev.nodecache.agent.NodeCacheAgent",
            "dev.nodecache.agent.resolve.QueryResolver",
            "dev.nodecache.agent.dns.MessageWriter",
            "io.netty.channel.epoll.EpollDatagramChannel",
            "com.github.benmanes.caffeine.cache.BoundedLocalCache")) {
      assertTrue(
          log.contains(c + " source: shared objects file\n"), c + " not mapped from the archive");
    }
    assertTrue(log.contains(" INFO NodeCacheAgent - node cache agent ready"), "no ready line");
    assertFalse(log.contains("org.xbill.DNS.Message source"), "dnsjava on the query path");
    assertFalse(log.contains("java.util.logging.LogManager source"), "java.util.logging started");
    assertFalse(
        log.contains("java.util.concurrent.CompletableFuture$Delayer source"),
        "a probe started the JDK's timer thread");
    assertFalse(log.contains("java.time.format.DateTimeFormatter source"), "java.time formats");
    assertFalse(log.contains("java.util.regex.Pattern source"), "regular expressions");
    assertFalse(log.contains("SLF4J("), "SLF4J warned (no binding, or two)");
  }

  /**
   * The training run, with {@code agentOptions} for the agent's JVM (its output in {@code log}).
   */
  private static int training(Path log, String... agentOptions) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("-cp", JAR, "dev.nodecache.agent.ClassDataTraining"));
    cmd.addAll(List.of(JAVA, "-XX:+UseSerialGC"));
    cmd.addAll(List.of(agentOptions));
    cmd.addAll(List.of("-jar", JAR));
    return java(log, cmd.toArray(String[]::new));
  }

  private static int java(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC"));
    cmd.addAll(List.of(args));
    return waitFor(
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
        log);
  }

  private static int waitFor(Process p, Path log) throws InterruptedException {
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("not ended within 120 s:\n" + read(log));
    }
    return p.exitValue();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
