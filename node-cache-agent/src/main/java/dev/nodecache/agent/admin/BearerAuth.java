package dev.nodecache.agent.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <token>} against the token file (a mounted Secret, so it is read
 * again when it changes). Without a token file nothing is authorized.
 */
final class BearerAuth {
  private final Path tokenFile;
  private byte[] token = new byte[0];
  private long readAt = Long.MIN_VALUE;

  BearerAuth(String tokenFile) {
    this.tokenFile = tokenFile.isEmpty() ? null : Path.of(tokenFile);
  }

  synchronized boolean allows(String authorization) {
    byte[] expected = currentToken();
    if (expected.length == 0 || authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given); // constant time for equal lengths
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
