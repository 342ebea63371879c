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
 * The agent image as images/agent/Dockerfile makes it, by the same scripts: a runtime of java.base,
 * jdk.jfr and jdk.unsupported with Netty's epoll library beside it (make-runtime.sh), then the
 * class-data archive from a training run of the packaged jar on that runtime
 * (make-class-archive.sh). The agent runs on it with epoll, loads the library from the library path
 * instead of copying it into its temporary directory, and maps its classes from the archive ({@code
 * -Xshare:on} refuses to start otherwise). The training's driver runs in a JVM of its own, so none
 * of its classes is in the archive. The same run shows the packaged jar logging through the agent's
 * own lines, without starting java.util.logging.
 */
class AgentImageIT {
  static final String JAR = System.getProperty("agent.jar", "target/node-cache-agent.jar");
  static final Path IMAGE = Path.of("..", "images", "agent");

  @TempDir Path dir;
  private Path runtime;
  private String java;

  @Test
  void theImagesRuntimeAndArchiveRunTheAgentFromMappedClassesWithEpoll() throws Exception {
    runtime = dir.resolve("agent");
    java = runtime.resolve("jre/bin/java").toString();
    Path made = dir.resolve("make.log");
    assertEquals(0, script(made, "make-runtime.sh", JAR, runtime.toString()), () -> read(made));
    Path modules = dir.resolve("modules.log");
    assertEquals(0, java(modules, "--list-modules"), () -> read(modules));
    assertEquals(
        List.of("java.base", "jdk.jfr", "jdk.unsupported"),
        read(modules).lines().map(m -> m.replaceFirst("@.*", "")).toList());
    Path recording = dir.resolve("profile.jfr");
    Path profiled = dir.resolve("profiled.log");
    assertEquals( // the flight recorder is kept, to profile a running agent
        0,
        java(profiled, "-XX:StartFlightRecording=filename=" + recording, "-version"),
        () -> read(profiled));
    assertTrue(Files.size(recording) > 0, "empty recording");
    String library = runtime.resolve("lib").toString();
    assertTrue(
        Files.isRegularFile(Path.of(library, "libnetty_transport_native_epoll_x86_64.so")),
        "no epoll library in " + library);

    Path archive = dir.resolve("agent.jsa");
    assertEquals(
        0,
        script(
            made,
            "make-class-archive.sh",
            JAR,
            archive.toString(),
            "-Djava.library.path=" + library),
        () -> read(made));
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
        training(
            used,
            "-Xshare:on",
            "-XX:SharedArchiveFile=" + archive,
            "-Djava.library.path=" + library,
            "-Xlog:class+load=info"),
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
    assertTrue(log.contains(" udp+tcp (epoll, "), "not on epoll");
    // Netty copies its library out of the jar into a temporary file (and the JDK names that file
    // with SecureRandom) only when it did not find it on the library path.
    assertFalse(log.contains("java.nio.file.TempFileHelper source"), "library copied to a file");
    assertFalse(log.contains("java.security.SecureRandom source"), "SecureRandom loaded");
    assertFalse(log.contains("org.xbill.DNS.Message source"), "dnsjava on the query path");
    assertFalse(log.contains("java.util.logging.LogManager source"), "java.util.logging started");
    assertFalse(
        log.contains("java.util.concurrent.CompletableFuture$Delayer source"),
        "a probe started the JDK's timer thread");
    assertFalse(log.contains("java.time.format.DateTimeFormatter source"), "java.time formats");
    assertFalse(log.contains("java.util.regex.Pattern source"), "regular expressions");
    assertFalse(log.contains("SLF4J("), "SLF4J warned (no binding, or two)");
  }

  /** One of the image's scripts, run with the JDK (or the image's runtime) as JAVA_HOME. */
  private int script(Path log, String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("sh", IMAGE.resolve(name).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder b =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    boolean jdk = name.equals("make-runtime.sh");
    b.environment()
        .put(
            "JAVA_HOME", jdk ? System.getProperty("java.home") : runtime.resolve("jre").toString());
    return waitFor(b.start(), log);
  }

  /**
   * The training run, with {@code agentOptions} for the agent's JVM (its output in {@code log}).
   */
  private int training(Path log, String... agentOptions) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("-cp", JAR, "dev.nodecache.agent.ClassDataTraining"));
    cmd.addAll(List.of(java, "-XX:+UseSerialGC"));
    cmd.addAll(List.of(agentOptions));
    cmd.addAll(List.of("-jar", JAR));
    return java(log, cmd.toArray(String[]::new));
  }

  private int java(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC"));
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
