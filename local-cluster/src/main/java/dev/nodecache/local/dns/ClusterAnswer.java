package dev.nodecache.local.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One reply for a name of the cluster zone: its records of the asked type; a CNAME (ExternalName)
 * followed to its target when this server knows the target; NODATA for a name without that type and
 * NXDOMAIN for a name that does not exist, both with the zone's SOA (RFC 2308).
 */
final class ClusterAnswer {
  private ClusterAnswer() {}

  static void fill(
      Message r, ClusterZone zone, Record question, Map<String, LocalDns.Answer> external)
      throws IOException {
    String name = question.getName().toString().toLowerCase();
    int type = question.getType();
    ClusterZone.Lookup found = zone.lookup(name);
    if (!found.exists()) {
      negative(r, zone, name, Rcode.NXDOMAIN);
      return;
    }
    List<Record> answer = new ArrayList<>();
    List<ClusterZone.Rr> cname =
        found.records().stream().filter(rr -> rr.type() == Type.CNAME).toList();
    if (!cname.isEmpty() && type != Type.CNAME) {
      answer.add(record(cname.get(0)));
      String target = cname.get(0).data();
      if (zone.covers(target)) {
        zone.lookup(target).records().stream()
            .filter(rr -> rr.type() == type)
            .forEach(rr -> answer.add(uncheckedRecord(rr)));
      } else if (type == Type.A && external.containsKey(target)) {
        LocalDns.Answer a = external.get(target);
        answer.add(
            new ARecord(
                Name.fromString(target), DClass.IN, a.ttl(), InetAddress.getByName(a.ip())));
      }
      answer.forEach(rec -> r.addRecord(rec, Section.ANSWER));
      return;
    }
    for (ClusterZone.Rr rr : found.records()) {
      if (rr.type() == type || type == Type.ANY) {
        answer.add(record(rr));
      }
    }
    if (answer.isEmpty()) {
      negative(r, zone, name, Rcode.NOERROR);
      return;
    }
    answer.forEach(rec -> r.addRecord(rec, Section.ANSWER));
  }

  private static void negative(Message r, ClusterZone zone, String name, int rcode)
      throws IOException {
    r.getHeader().setRcode(rcode);
    r.addRecord(
        LocalDns.soa(
            Name.fromString(zone.zoneOf(name)), LocalDns.CLUSTER_TTL, LocalDns.CLUSTER_TTL),
        Section.AUTHORITY);
  }

  private static Record record(ClusterZone.Rr rr) throws IOException {
    return Record.fromString(
        Name.fromString(rr.name()),
        rr.type(),
        DClass.IN,
        LocalDns.CLUSTER_TTL,
        rr.data(),
        Name.root);
  }

  private static Record uncheckedRecord(ClusterZone.Rr rr) {
    try {
      return record(rr);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
