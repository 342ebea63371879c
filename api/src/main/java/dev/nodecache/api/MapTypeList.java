package dev.nodecache.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * Makes a property of the annotated class a map-type list ({@code x-kubernetes-list-type: map}):
 * the API server then refuses two items with the same keys itself, in linear time, which no CEL
 * rule can do within its cost budget. Input: {@code property:key[,key...]}. Used by the CRD
 * generator only.
 */
public final class MapTypeList implements SchemaCustomizer.Customizer {
  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps props, String input, KubernetesSerialization serialization) {
    String[] propertyAndKeys = input.split(":", 2);
    JSONSchemaProps list = props.getProperties().get(propertyAndKeys[0]);
    if (list == null || !"array".equals(list.getType()) || propertyAndKeys.length != 2) {
      throw new IllegalArgumentException("not a list property with keys: " + input);
    }
    list.setXKubernetesListType("map");
    list.setXKubernetesListMapKeys(List.of(propertyAndKeys[1].split(",")));
    return props;
  }
}
