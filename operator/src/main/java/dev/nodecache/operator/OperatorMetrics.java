package dev.nodecache.operator;

import dev.nodecache.operator.invalidation.InvalidationMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The operator's own metrics, fed by JOSDK's monitoring hooks. */
public final class OperatorMetrics implements Metrics, InvalidationMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter reconciles =
      Counter.builder()
          .name("nodecache_operator_reconciles")
          .help("Reconciliations of DnsCachePolicy resources, by result.")
          .labelNames("result")
          .register(registry);
  private final Counter events =
      Counter.builder()
          .name("nodecache_operator_events")
          .help("Events received by the controller.")
          .register(registry);
  private final Counter flushes =
      Counter.builder()
          .name("nodecache_operator_flushes")
          .help("Coordinated flushes finished, by result (completed, failed).")
          .labelNames("result")
          .register(registry);
  private final Histogram duration =
      Histogram.builder()
          .name("nodecache_operator_reconcile_duration_seconds")
          .help("Time of one reconciliation.")
          .register(registry);

  private final Histogram batchNames =
      Histogram.builder()
          .name("nodecache_operator_invalidation_batch_names")
          .help("Names in each invalidation batch made from API changes (0: a resync).")
          .classicUpperBounds(0, 1, 2, 5, 10, 50, 100, 500, 1000, 5000, 50000)
          .classicOnly()
          .register(registry);
  private final Counter pushes =
      Counter.builder()
          .name("nodecache_operator_invalidation_pushes")
          .help("Invalidation requests to agents, by result (ok, resynced, failed, refused).")
          .labelNames("result")
          .register(registry);
  private final Histogram lag =
      Histogram.builder()
          .name("nodecache_operator_invalidation_lag_seconds")
          .help("From the operator seeing an API change to an agent acknowledging it applied.")
          .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
          .classicOnly()
          .register(registry);

  public OperatorMetrics() {
    JvmMemoryMetrics.builder().register(registry);
  }

  @Override
  public void receivedEvent(
      io.javaoperatorsdk.operator.processing.event.Event event, Map<String, Object> metadata) {
    events.inc();
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    reconciles.labelValues("success").inc();
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    reconciles.labelValues("failure").inc();
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {}

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      duration.observe((System.nanoTime() - start) / 1e9);
    }
  }

  public void flushFinished(String result) {
    flushes.labelValues(result).inc();
  }

  @Override
  public void batch(int names) {
    batchNames.observe(names);
  }

  @Override
  public void pushed(String result) {
    pushes.labelValues(result).inc();
  }

  @Override
  public void applied(double lagSeconds) {
    lag.observe(lagSeconds);
  }

  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
