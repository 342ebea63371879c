package dev.nodecache.local.api;

/**
 * A request path of the Kubernetes API, taken apart as the API server routes it: {@code
 * /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]} or the same under {@code
 * /apis/GROUP/VERSION}. Null from {@link #parse} for anything else.
 */
public record ResourcePath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource) {

  public static ResourcePath parse(String path) {
    String[] p = path.replaceAll("/+$", "").substring(1).split("/");
    int at;
    String group;
    String version;
    if (p.length >= 3 && p[0].equals("api")) {
      group = "";
      version = p[1];
      at = 2;
    } else if (p.length >= 4 && p[0].equals("apis")) {
      group = p[1];
      version = p[2];
      at = 3;
    } else {
      return null;
    }
    String namespace = null;
    // namespaces/NS/PLURAL..., but namespaces/NAME and namespaces/NAME/status are namespaces
    if (p.length >= at + 3
        && p[at].equals("namespaces")
        && !(p.length == at + 3 && (p[at + 2].equals("status") || p[at + 2].equals("finalize")))) {
      namespace = p[at + 1];
      at += 2;
    }
    int rest = p.length - at;
    if (rest < 1 || rest > 3) {
      return null;
    }
    return new ResourcePath(
        group,
        version,
        namespace,
        p[at],
        rest >= 2 ? p[at + 1] : null,
        rest == 3 ? p[at + 2] : null);
  }

  public boolean collection() {
    return name == null;
  }

  public boolean status() {
    return "status".equals(subresource);
  }

  /** The path of the object itself, without the subresource. */
  public String objectPath(ResourceKind kind) {
    return kind.collectionPath(namespace) + "/" + name;
  }
}
