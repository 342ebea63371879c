package dev.nodecache.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.HashMap;

/** The fabric8 mock API server in CRUD mode on a free loopback port, for benches. */
public final class MockApi {
  private MockApi() {}

  public static KubernetesMockServer crud() throws IOException {
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
