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
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.nodes.summary")
@AdditionalPrinterColumn(name = "Last Flush", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.lastFlush.phase")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class DnsCachePolicy extends CustomResource<DnsCachePolicySpec, DnsCachePolicyStatus> {
  public static final String GROUP = "nodecache.dev";
  public static final String VERSION = "v1alpha1";
}
