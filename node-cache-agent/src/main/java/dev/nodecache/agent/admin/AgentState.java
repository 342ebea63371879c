package dev.nodecache.agent.admin;

/** Readiness as /readyz reports it: listening with a loaded config, and not draining. */
public final class AgentState {
  private volatile boolean listening;
  private volatile boolean draining;

  public void listening() {
    listening = true;
  }

  /** SIGTERM: unready at once, so traffic moves elsewhere while this instance still answers. */
  public void draining() {
    draining = true;
  }

  public boolean ready() {
    return listening && !draining;
  }

  public boolean isDraining() {
    return draining;
  }
}
