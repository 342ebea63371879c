package dev.nodecache.agent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The agent's SLF4J binding (named in the packaged jar's {@code META-INF/services}). It writes
 * lines itself rather than through java.util.logging, whose start-up alone cost the agent 76
 * classes and about 15 ms before its first answer (README, "Signals and logs").
 */
public final class LineLogProvider implements SLF4JServiceProvider {
  private ILoggerFactory loggers;
  private IMarkerFactory markers;
  private MDCAdapter mdc;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    loggers = LineLogger::new; // a logger is its name and nothing else: no need to keep them
    markers = new BasicMarkerFactory();
    mdc = new NOPMDCAdapter();
  }
}
