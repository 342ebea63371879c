package dev.nodecache.local.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A request's query parameters (the first value of each), URL-decoded. */
final class QueryParameters {
  private final Map<String, String> values = new HashMap<>();

  QueryParameters(String rawQuery) {
    if (rawQuery == null) {
      return;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.putIfAbsent(k, v);
    }
  }

  String get(String name) {
    return values.get(name);
  }

  String get(String name, String otherwise) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? otherwise : v;
  }

  boolean flag(String name) {
    String v = values.get(name);
    return v != null && (v.isEmpty() || v.equals("true") || v.equals("1"));
  }

  long number(String name, long otherwise) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("invalid value for " + name + ": \"" + v + "\"");
    }
  }
}
