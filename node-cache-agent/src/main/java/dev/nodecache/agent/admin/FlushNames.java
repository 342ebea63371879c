package dev.nodecache.agent.admin;

import dev.nodecache.agent.config.ConfigParser;

/** Names in a flush request, checked and normalized as the config's flush names are. */
final class FlushNames {
  private FlushNames() {}

  static String normalize(String name) {
    return ConfigParser.flushName(name);
  }
}
