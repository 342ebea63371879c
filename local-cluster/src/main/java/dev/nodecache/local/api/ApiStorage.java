package dev.nodecache.local.api;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;

/**
 * The embedded API's storage: the fabric8 mock server in CRUD mode, on a free loopback port.
 * Nobody but {@link KubeApiFront} talks to it in the local cluster: it validates nothing and
 * applies patches loosely, so every write a user or the operator makes goes through the front.
 */
public final class ApiStorage {
  private ApiStorage() {}

  public static KubernetesMockServer start() throws IOException {
    KubernetesMockServer s =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(Collections.emptyList()),
            false);
    s.init(InetAddress.getByName("127.0.0.1"), 0);
    return s;
  }
}
