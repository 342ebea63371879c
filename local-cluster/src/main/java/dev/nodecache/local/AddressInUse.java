package dev.nodecache.local;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * An address the local cluster needs is taken (most often: by another local cluster). Said in one
 * line naming the address, before anything is started or written.
 */
public final class AddressInUse extends IOException {
  public AddressInUse(String address, String what) {
    super(address + " is already in use (" + what + "); is another local cluster running?");
  }

  /** Throws if UDP or TCP {@code at} cannot be bound because something holds it. */
  static void check(InetSocketAddress at, boolean udp, String what) throws AddressInUse {
    String address = at.getAddress().getHostAddress() + ":" + at.getPort();
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.setReuseAddress(true);
      tcp.bind(at);
    } catch (BindException e) {
      if (inUse(e)) {
        throw new AddressInUse(address, what);
      }
    } catch (IOException e) {
      // not ours to judge here: the real bind reports it
    }
    if (!udp) {
      return;
    }
    try (DatagramSocket s = new DatagramSocket(at)) {
      // free
    } catch (BindException e) {
      if (inUse(e)) {
        throw new AddressInUse(address, what);
      }
    } catch (IOException e) {
      // as above
    }
  }

  private static boolean inUse(BindException e) {
    return String.valueOf(e.getMessage()).contains("in use");
  }
}
