package dev.nodecache.agent.config;

/** A config file that cannot be used; the message starts with the path of the offending field. */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
