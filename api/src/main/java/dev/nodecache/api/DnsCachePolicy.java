package dev.nodecache.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A node DNS cache: which nodes run it and how it caches (SPEC §2). Cluster-scoped. */
@Group(DnsCachePolicy.GROUP)
@Version(DnsCachePolicy.VERSION)
@Plural("dnscachepolicies")
@ShortNames("dcp")
// kubectl get dcp: READY STATUS LAST FLUSH AGE; -o wide adds UPDATED PORT FLUSHED AT.
// The generator sorts columns; CrdUpToDateTest puts them back in this order.
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.nodes.summary")
@AdditionalPrinterColumn(
    name = "Status",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.state")
@AdditionalPrinterColumn(
    name = "Last Flush",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.lastFlush.summary")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Updated",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.nodes.updated",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Port",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".spec.listen.port",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Flushed At",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastFlush.completedAt",
    priority = 1)
public class DnsCachePolicy extends CustomResource<DnsCachePolicySpec, DnsCachePolicyStatus> {
  public static final String GROUP = "nodecache.dev";
  public static final String VERSION = "v1alpha1";
}
