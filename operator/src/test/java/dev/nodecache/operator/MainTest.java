package dev.nodecache.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) throws Exception {
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  @Test
  void helpExplainsAndExitsZero() throws Exception {
    assertEquals(0, run("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--no-leader-election"));
    assertTrue(help.contains("NODECACHE_NAMESPACE"));
  }

  @Test
  void anUnknownArgumentIsAUsageError() throws Exception {
    assertEquals(2, run("--bogus"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown argument \"--bogus\""));
  }

  @Test
  void theLocalModeIsNoLongerPartOfTheOperator() throws Exception {
    run("--help");
    assertTrue(!out.toString(StandardCharsets.UTF_8).contains("local"), "help mentions local");
    assertEquals(2, run("local", "--nodes", "3"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("local-cluster/target/nodecache-local.jar"));
  }
}
