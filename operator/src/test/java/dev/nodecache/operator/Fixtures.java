package dev.nodecache.operator;

import dev.nodecache.api.DnsCachePolicy;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Policies and files the tests share. */
public final class Fixtures {
  public static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  public static final OperatorSettings SETTINGS =
      new OperatorSettings("nodecache-system", "nodecache/node-cache-agent:test");

  private Fixtures() {}

  public static DnsCachePolicy examplePolicy(String file) {
    try {
      return Serialization.unmarshal(
          Files.readString(ROOT.resolve("examples").resolve(file)), DnsCachePolicy.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path crd() {
    return ROOT.resolve("crds/dnscachepolicies.nodecache.dev-v1.yml");
  }

  /** What the operator expects of a cluster: the CRD, and kube-dns at 10.96.0.10. */
  public static void prepareCluster(KubernetesClient client) throws IOException {
    try (InputStream in = Files.newInputStream(crd())) {
      client.apiextensions().v1().customResourceDefinitions().load(in).create();
    }
    client
        .services()
        .inNamespace("kube-system")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("kube-dns")
                .withNamespace("kube-system")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.96.0.10")
                .endSpec()
                .build())
        .create();
  }
}
