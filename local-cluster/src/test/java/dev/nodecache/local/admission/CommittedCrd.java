package dev.nodecache.local.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed DnsCachePolicy CRD and the examples, read as the local cluster reads them. */
final class CommittedCrd {
  static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
  static final YAMLMapper YAML = new YAMLMapper();

  private CommittedCrd() {}

  static JsonNode crd() {
    return read(ROOT.resolve("crds/dnscachepolicies.nodecache.dev-v1.yml"));
  }

  static CustomResourceValidator validator() {
    return CustomResourceValidator.of(crd());
  }

  static List<Path> examples() {
    try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode read(Path file) {
    try {
      return (ObjectNode) YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML document, e.g. a policy written in a test. */
  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
