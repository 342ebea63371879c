package dev.nodecache.operator.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nodecache.api.DnsCachePolicy;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every shape a user can give the flush annotations, and what it means (README, Flush). */
class FlushRequestTest {
  static FlushRequest request(String id, String names) {
    Map<String, String> a = new HashMap<>();
    a.put("other", "x");
    if (id != null) {
      a.put(FlushRequest.FLUSH, id);
    }
    if (names != null) {
      a.put(FlushRequest.FLUSH_NAMES, names);
    }
    DnsCachePolicy p = new DnsCachePolicy();
    ObjectMeta m = new ObjectMeta();
    m.setAnnotations(a);
    p.setMetadata(m);
    return FlushRequest.of(p);
  }

  @Test
  void noIdMeansNoRequest() {
    assertNull(request(null, "a.example.com"));
    assertNull(request("", null));
    assertNull(request("   \t", null));
    DnsCachePolicy none = new DnsCachePolicy();
    none.setMetadata(new ObjectMeta());
    assertNull(FlushRequest.of(none), "no annotations at all");
  }

  @Test
  void aRemovedAnnotationStoredAsNullMeansNoRequestOrEverything() {
    Map<String, String> a = new HashMap<>();
    a.put(FlushRequest.FLUSH, null);
    a.put(FlushRequest.FLUSH_NAMES, null);
    DnsCachePolicy p = new DnsCachePolicy();
    p.setMetadata(new ObjectMeta());
    p.getMetadata().setAnnotations(a);
    assertNull(FlushRequest.of(p));
    a.put(FlushRequest.FLUSH, "7");
    assertEquals(new FlushRequest("7", List.of(), null), FlushRequest.of(p));
  }

  @Test
  void theIdIsTrimmedAndNamesAreAListOfDomainNames() {
    assertEquals(new FlushRequest("42", List.of(), null), request("  42 ", null));
    assertEquals(new FlushRequest("42", List.of(), null), request("42", " , ,"));
    assertEquals(
        new FlushRequest("42", List.of("api.example.com", "*.svc.example.com"), null),
        request("42", " API.example.com , *.svc.example.com,,"));
    assertEquals(
        new FlushRequest("2026-12-02T10:00:00+00:00", List.of(), null),
        request("2026-12-02T10:00:00+00:00", ""));
  }

  @Test
  void aRequestThatCannotRunIsRefusedWithTheReason() {
    FlushRequest wildcard = request("1", "a.*.example.com");
    assertTrue(wildcard.refused());
    assertTrue(
        wildcard.problem().contains("wildcard is allowed only as a leading"), wildcard.problem());
    FlushRequest label = request("2", "x".repeat(64) + ".example.com");
    assertTrue(label.refused(), "a 64-character label is not a domain name");
    FlushRequest tooLong = request("9".repeat(5000), null);
    assertTrue(tooLong.refused());
    assertEquals(FlushRequest.MAX_ID, tooLong.id().length(), "the id shown is cut short");
    assertTrue(tooLong.problem().contains("5000 characters"), tooLong.problem());
    assertTrue(request("a\u0001b", null).refused());
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= FlushRequest.MAX_NAMES; i++) {
      many.append("n").append(i).append(".example.com,");
    }
    assertTrue(request("3", many.toString()).refused());
    assertEquals("ünïcode", request("ünïcode", null).id(), "any printable id is fine");
  }
}
