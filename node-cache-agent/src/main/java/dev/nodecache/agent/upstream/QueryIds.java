package dev.nodecache.agent.upstream;

import java.security.SecureRandom;

/** Upstream query ids from a CSPRNG (RFC 5452 §9.2): guessing one must take 65536 tries. */
final class QueryIds {
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(SecureRandom::new);

  private QueryIds() {}

  static int next() {
    return RANDOM.get().nextInt(65536);
  }
}
