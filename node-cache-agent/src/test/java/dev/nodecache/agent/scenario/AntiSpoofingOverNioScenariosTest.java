package dev.nodecache.agent.scenario;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same rules over the NIO transport, where each upstream query is a Netty channel of its own
 * (with epoll the agent registers a bare socket with its event loop instead).
 */
class AntiSpoofingOverNioScenariosTest extends AntiSpoofingScenariosTest {
  @BeforeEach
  void useNio() {
    System.setProperty("nodecache.transport", "nio");
  }

  @Override
  String transport() {
    return "nio";
  }

  @AfterEach
  void useDefaultTransport() {
    System.clearProperty("nodecache.transport");
  }
}
