package dev.nodecache.agent.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A DNS client for tests: queries the agent over real UDP or TCP and parses the reply. */
public final class TestClient {
  private final InetSocketAddress server;

  public TestClient(InetSocketAddress server) {
    this.server = server;
  }

  public static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(Rr.name(name), type, DClass.IN));
  }

  /** A query with an OPT record advertising {@code udpSize}, DO set if asked. */
  public static Message ednsQuery(String name, int type, int udpSize, boolean dnssecOk) {
    Message q = query(name, type);
    q.addRecord(
        new OPTRecord(
            udpSize,
            0,
            0,
            dnssecOk ? ExtendedFlags.DO : 0,
            (java.util.List<EDNSOption>) java.util.List.<EDNSOption>of()),
        Section.ADDITIONAL);
    return q;
  }

  public Message udp(String name, int type) {
    return udp(query(name, type));
  }

  public Message udp(Message q) {
    byte[] reply = udpRaw(q.toWire(), 3000);
    if (reply == null) {
      throw new AssertionError("no UDP reply to " + q.getQuestion());
    }
    return parse(reply);
  }

  /** The raw reply, or null when none came within {@code timeoutMillis}. */
  public byte[] udpRaw(byte[] query, int timeoutMillis) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(query, query.length, server));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return Arrays.copyOf(buf, p.getLength());
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Message tcp(Message q) {
    try (Socket s = new Socket()) {
      s.connect(server, 3000);
      s.setSoTimeout(3000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      byte[] wire = q.toWire();
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return parse(reply);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("unparseable reply: " + e, e);
    }
  }
}
