package dev.nodecache.agent.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to one agent's admin API, with or without its token. */
final class AdminHttp {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;

  AdminHttp(String ip, int port) {
    this.base = "http://" + ip + ":" + port;
  }

  /** GET when {@code body} is null, else POST; a null {@code token} sends no Authorization. */
  HttpResponse<String> send(String path, String body, String token) throws Exception {
    return send(path, body, "Authorization", token == null ? null : "Bearer " + token);
  }

  /** As {@link #send(String, String, String)}, the token in {@code header: value} (null: none). */
  HttpResponse<String> send(String path, String body, String header, String value)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
    if (value != null) {
      b.header(header, value);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
