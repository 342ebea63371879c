package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/namespaces/NS/pods/[SCHEME:]NAME[:PORT]/proxy/PATH}, as the API server serves it:
 * the request goes on to the pod's IP (PORT a number or a container port's name, 80 without one)
 * with its method, query, body and headers, except Authorization, which the API server consumes;
 * the pod's answer comes back as it is. A pod that does not answer is a 503 that says why.
 */
final class PodProxy {
  private static final Pattern PATH =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/proxy(/.*)?$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Not forwarded: the API server's own credentials and hop-by-hop headers. */
  private static final Set<String> DROPPED =
      Set.of(
          "authorization",
          "host",
          "connection",
          "content-length",
          "transfer-encoding",
          "upgrade",
          "expect",
          "keep-alive",
          "te",
          "trailer",
          "proxy-authorization");

  private final ApiStorage storage;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(3))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  PodProxy(ApiStorage storage) {
    this.storage = storage;
  }

  static boolean handles(String path) {
    return PATH.matcher(path).matches();
  }

  void serve(HttpExchange x, String path) throws Exception {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      throw ApiError.of(404, "NotFound", "the server could not find the requested resource");
    }
    String ns = m.group(1);
    String[] target = m.group(2).split(":", -1);
    String scheme = target.length == 3 ? target[0] : "http";
    String name = target.length == 3 ? target[1] : target[0];
    String port = target.length == 3 ? target[2] : target.length == 2 ? target[1] : "";
    if (target.length > 3 || !Set.of("http", "https").contains(scheme)) {
      throw ApiError.badRequest("invalid pod proxy target: " + m.group(2));
    }
    ApiStorage.Reply r = storage.get("/api/v1/namespaces/" + ns + "/pods/" + name);
    if (r.code() == 404) {
      throw ApiError.of(404, "NotFound", "pods \"" + name + "\" not found");
    }
    JsonNode pod = JSON.readTree(r.body());
    String ip = pod.path("status").path("podIP").asText("");
    if (ip.isEmpty()) {
      throw ApiError.badRequest("address not allowed: pod " + name + " has no IP address");
    }
    int number = portNumber(pod, port);
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    String query = x.getRequestURI().getRawQuery();
    URI to =
        URI.create(
            scheme
                + "://"
                + host
                + ":"
                + number
                + (m.group(3) == null ? "/" : m.group(3))
                + (query == null ? "" : "?" + query));
    byte[] body = x.getRequestBody().readAllBytes();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(to)
            .timeout(Duration.ofSeconds(30))
            .method(
                x.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : x.getRequestHeaders().entrySet()) {
      if (!DROPPED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        h.getValue().forEach(v -> b.header(h.getKey(), v));
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw ApiError.of(
          503,
          "ServiceUnavailable",
          "error trying to reach service: dial tcp "
              + ip
              + ":"
              + number
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    answer
        .headers()
        .firstValue("Content-Type")
        .ifPresent(t -> x.getResponseHeaders().set("Content-Type", t));
    byte[] out = answer.body();
    x.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      x.getResponseBody().write(out);
    }
  }

  /** A number, or the name of one of the pod's container ports; 80 when none is given. */
  private static int portNumber(JsonNode pod, String port) {
    if (port.isEmpty()) {
      return 80;
    }
    if (port.chars().allMatch(Character::isDigit)) {
      int n = Integer.parseInt(port);
      if (n >= 1 && n <= 65535) {
        return n;
      }
    }
    for (JsonNode c : pod.path("spec").path("containers")) {
      for (JsonNode p : c.path("ports")) {
        if (port.equals(p.path("name").asText())) {
          return p.path("containerPort").asInt();
        }
      }
    }
    throw ApiError.badRequest(
        "no port named \"" + port + "\" on pod " + pod.at("/metadata/name").asText());
  }
}
