package dev.nodecache.operator;

/** The operator's version, which is also the default agent image tag. */
public final class Version {
  public static final String CURRENT =
      Version.class.getPackage().getImplementationVersion() == null
          ? "0.1.0"
          : Version.class.getPackage().getImplementationVersion();

  private Version() {}
}
