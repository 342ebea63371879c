package dev.nodecache.local.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProtobufObjectsTest {
  /** What kubectl v1.32.4 sends for {@code kubectl create service clusterip db --tcp=5432:5432}. */
  static final String KUBECTL_CREATE_SERVICE =
      "6b3873000a0d0a02763112075365727669636512690a1d0a02646212001a0022"
          + "002a003200380042005a090a036170701202646212440a1e0a09353433322d35"
          + "343332120354435018b82a2207080010b82a1a00280012090a03617070120264"
          + "621a002209436c757374657249503a00420052005a00600068001a020a001a00"
          + "2200";

  @Test
  void readsTheServiceKubectlCreateSends() {
    ObjectNode svc = ProtobufObjects.decode(bytes(KUBECTL_CREATE_SERVICE));
    assertEquals("Service", svc.path("kind").asText());
    assertEquals("db", svc.path("metadata").path("name").asText());
    assertEquals("db", svc.path("metadata").path("labels").path("app").asText());
    assertEquals("ClusterIP", svc.path("spec").path("type").asText());
    // Go's zero values are absent, as in JSON: no clusterIP (one is allocated), no nodePort.
    assertTrue(svc.path("spec").path("clusterIP").isMissingNode());
    assertTrue(svc.path("spec").path("sessionAffinity").isMissingNode());
    assertTrue(svc.path("spec").path("ports").get(0).path("nodePort").isMissingNode());
    assertTrue(svc.path("spec").path("publishNotReadyAddresses").isMissingNode());
    assertEquals(5432, svc.path("spec").path("ports").get(0).path("port").asInt());
    assertEquals(5432, svc.path("spec").path("ports").get(0).path("targetPort").asInt());
    assertEquals("TCP", svc.path("spec").path("ports").get(0).path("protocol").asText());
  }

  @Test
  void truncatedOrForeignBytesAreABadRequestNotACrash() {
    byte[] all = bytes(KUBECTL_CREATE_SERVICE);
    for (int cut = 0; cut < all.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(all, cut);
      try {
        ProtobufObjects.decode(part);
      } catch (ApiError e) {
        // refused with a status, as the API server refuses it
      }
    }
    assertThrows(ApiError.class, () -> ProtobufObjects.decode("{\"kind\":1}".getBytes()));
  }

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
