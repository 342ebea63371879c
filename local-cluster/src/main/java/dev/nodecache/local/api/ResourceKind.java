package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A kind the embedded API serves, as its discovery document lists it. {@code crd} is the stored
 * CustomResourceDefinition for a custom resource, null for a built-in kind.
 */
public record ResourceKind(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    boolean statusSubresource,
    JsonNode crd) {

  static ResourceKind builtIn(
      String group,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      boolean status) {
    return new ResourceKind(
        group, "v1", plural, kind.toLowerCase(), kind, namespaced, shortNames, status, null);
  }

  public boolean custom() {
    return crd != null;
  }

  /** "v1" or "apps/v1". */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "api/v1" or "apis/GROUP/VERSION": where its paths start. */
  public String groupVersionPath() {
    return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
  }

  /** As the API server names it in messages: "pods", "dnscachepolicies.nodecache.dev". */
  public String resource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** As the API server names a kind in messages: "Pod", "DnsCachePolicy.nodecache.dev". */
  public String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  /** The collection path, in a namespace or across all ({@code namespace} null). */
  public String collectionPath(String namespace) {
    return "/"
        + groupVersionPath()
        + (namespaced && namespace != null ? "/namespaces/" + namespace : "")
        + "/"
        + plural;
  }

  /** The CRD version entry of a custom resource, or null. */
  public JsonNode crdVersion() {
    if (crd == null) {
      return null;
    }
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("name").asText().equals(version)) {
        return v;
      }
    }
    return null;
  }
}
