package dev.nodecache.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a changed config file by reading it every period. A ConfigMap volume changes it by an
 * atomic symlink swap, which file-system events report unreliably; comparing the content is cheap
 * for a file this small and sees every kind of change. A bad file is refused and logged, and the
 * running config stays.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  /** What came of a change. */
  public interface Listener {
    void applied(AgentConfig config);

    void refused(ConfigException reason);
  }

  private final Path file;
  private final ConfigParser parser;
  private final Listener listener;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "config-watcher");
            t.setDaemon(true);
            return t;
          });
  private String current;

  public ConfigWatcher(Path file, ConfigParser parser, String loaded, Listener listener) {
    this.file = file;
    this.parser = parser;
    this.listener = listener;
    this.current = loaded;
  }

  public void start(long periodMillis) {
    timer.scheduleWithFixedDelay(this::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Reads the file now; applies or refuses it if it changed. */
  public synchronized void check() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return; // mid-swap or gone for a moment: the next check sees the new file
    }
    if (text.equals(current)) {
      return;
    }
    current = text;
    try {
      listener.applied(parser.parse(text));
    } catch (ConfigException e) {
      log.warn(
          "config {} changed but is refused, the running config stays: {}", file, e.getMessage());
      listener.refused(e);
    } catch (RuntimeException e) {
      log.error("applying the changed config {} failed", file, e);
    }
  }

  /** Reads {@code file} for the first load: the text, so that later checks compare with it. */
  public static String read(Path file) throws ConfigException {
    try {
      return Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
