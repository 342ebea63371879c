package dev.nodecache.agent.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <token>} against the token file (a mounted Secret, so it is read
 * again when it changes). Without a token file nothing is authorized. The same token is accepted in
 * {@code X-NodeCache-Token}: the API server's pod proxy (how {@code kubectl nodecache} reaches an
 * agent with the user's own credentials) consumes the Authorization header and forwards the rest.
 */
final class BearerAuth {
  private final Path tokenFile;
  private byte[] token = new byte[0];
  private long readAt = Long.MIN_VALUE;

  BearerAuth(String tokenFile) {
    this.tokenFile = tokenFile.isEmpty() ? null : Path.of(tokenFile);
  }

  static final String TOKEN_HEADER = "X-NodeCache-Token";

  synchronized boolean allows(String authorization, String tokenHeader) {
    byte[] expected = currentToken();
    String given;
    if (authorization != null && authorization.startsWith("Bearer ")) {
      given = authorization.substring(7);
    } else if (tokenHeader != null) {
      given = tokenHeader;
    } else {
      return false;
    }
    // constant time for equal lengths
    return expected.length > 0
        && MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8));
  }

  private byte[] currentToken() {
    if (tokenFile == null) {
      return new byte[0];
    }
    try {
      long modified = Files.getLastModifiedTime(tokenFile).toMillis();
      if (modified != readAt) {
        token = Files.readString(tokenFile).trim().getBytes(StandardCharsets.UTF_8);
        readAt = modified;
      }
    } catch (IOException e) {
      token = new byte[0];
      readAt = Long.MIN_VALUE;
    }
    return token;
  }
}
