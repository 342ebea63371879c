package dev.nodecache.agent.scenario;

import static dev.nodecache.agent.testing.Rr.rr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.agent.testing.Replies;
import dev.nodecache.agent.testing.ScriptedUpstream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The real `dig` against the running agent (.ci/run installs dnsutils). */
class DigTest extends ScenarioTest {
  static final Record SOA = rr("example. 300 IN SOA ns.example. a.example. 1 2 3 4 60");

  @BeforeEach
  void needDig() throws Exception {
    Assumptions.assumeTrue(
        new File("/usr/bin/dig").canExecute(),
        "dig is not installed (apt-get install dnsutils); .ci/run installs it");
    upstream.answer("www.example.", Type.A, rr("www.example. 300 IN A 192.0.2.80"));
    upstream.answer("www.example.", Type.AAAA, rr("www.example. 300 IN AAAA 2001:db8::80"));
    upstream.on(
        "nx.example.",
        Type.A,
        (q, via) -> List.of(ScriptedUpstream.send(Replies.nxdomain(q, SOA))));
    Record[] many = new Record[60];
    for (int i = 0; i < many.length; i++) {
      many[i] = rr("many.example. 300 IN TXT \"record number " + i + " with some padding text\"");
    }
    upstream.answer("many.example.", Type.TXT, many);
    startAgent();
  }

  String dig(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "dig",
                "@" + AGENT_IP,
                "-p",
                String.valueOf(agent.address().getPort()),
                "+tries=1",
                "+time=3"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "dig finished");
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void digGetsTheAnswerOverUdpAndTcp() throws Exception {
    assertEquals("192.0.2.80\n", dig("+short", "www.example", "A"));
    assertEquals("2001:db8::80\n", dig("+short", "+tcp", "www.example", "AAAA"));
    String full = dig("WWW.Example", "A");
    assertTrue(full.contains("status: NOERROR"), full);
    assertTrue(
        full.contains("WWW.Example.\t\t300\tIN\tA\t192.0.2.80")
            || full.matches("(?s).*WWW\\.Example\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.0\\.2\\.80.*"),
        full);
    assertEquals(1, upstream.count("www.example.", Type.A));
  }

  @Test
  void digSeesNxdomainWithTheSoa() throws Exception {
    String out = dig("nx.example", "A");
    assertTrue(out.contains("status: NXDOMAIN"), out);
    assertTrue(out.contains("AUTHORITY: 1"), out);
    assertTrue(dig("nx.example", "MX").contains("status: NXDOMAIN"));
    assertEquals(0, upstream.count("nx.example.", Type.MX));
  }

  @Test
  void digFallsBackToTcpOnTruncationAndGetsEverything() throws Exception {
    String out = dig("+bufsize=512", "many.example", "TXT");
    assertTrue(out.contains("Truncated, retrying in TCP mode"), out);
    assertTrue(out.contains("ANSWER: 60"), out);
    String noTcp = dig("+bufsize=512", "+ignore", "many.example", "TXT");
    assertTrue(noTcp.contains(" tc "), noTcp);
  }

  @Test
  void digWithoutEdnsIsAnsweredWithoutOpt() throws Exception {
    String out = dig("+noedns", "www.example", "A");
    assertTrue(out.contains("status: NOERROR"), out);
    assertTrue(!out.contains("OPT PSEUDOSECTION"), out);
  }
}
