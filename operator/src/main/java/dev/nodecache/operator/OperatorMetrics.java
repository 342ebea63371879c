package dev.nodecache.operator;

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
public final class OperatorMetrics implements Metrics {
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
