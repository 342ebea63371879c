package dev.nodecache.local.admission;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL types of schema nodes, as the API server declares {@code self}: objects with properties
 * are structs (so a rule naming a field that does not exist fails to compile), objects with
 * additionalProperties are maps, arrays are lists, and int-or-string or preserved unknown content
 * is dyn. The resource root also has apiVersion, kind and metadata.name/generateName.
 */
final class CelTypes implements CelTypeProvider {
  private final Map<String, StructType> structs = new LinkedHashMap<>();

  /** The type of {@code schema}, registering the struct types it needs under {@code name}. */
  CelType of(SchemaNode schema, String name, boolean resourceRoot) {
    if (schema.intOrString) {
      return SimpleType.DYN;
    }
    switch (schema.type) {
      case "object" -> {
        if (schema.isMap()) {
          return MapType.create(
              SimpleType.STRING, of(schema.additionalProperties, name + ".@elem", false));
        }
        boolean resource = resourceRoot || schema.embeddedResource;
        if (schema.preserveUnknownFields && schema.properties.isEmpty() && !resource) {
          return SimpleType.DYN;
        }
        return struct(schema, name, resource);
      }
      case "array" -> {
        return schema.items == null
            ? ListType.create(SimpleType.DYN)
            : ListType.create(of(schema.items, name + ".@idx", false));
      }
      case "string" -> {
        return SimpleType.STRING;
      }
      case "integer" -> {
        return SimpleType.INT;
      }
      case "number" -> {
        return SimpleType.DOUBLE;
      }
      case "boolean" -> {
        return SimpleType.BOOL;
      }
      default -> {
        return SimpleType.DYN;
      }
    }
  }

  private StructType struct(SchemaNode schema, String name, boolean resourceRoot) {
    Map<String, CelType> fields = new LinkedHashMap<>();
    if (resourceRoot) {
      fields.put("apiVersion", SimpleType.STRING);
      fields.put("kind", SimpleType.STRING);
      fields.put("metadata", metadata(name + ".metadata"));
    }
    schema.properties.forEach(
        (property, propertySchema) ->
            CelNames.escape(property)
                .ifPresent(
                    field -> fields.put(field, of(propertySchema, name + "." + property, false))));
    StructType type =
        StructType.create(
            name,
            ImmutableSet.copyOf(fields.keySet()),
            field -> Optional.ofNullable(fields.get(field)));
    structs.put(name, type);
    return type;
  }

  private StructType metadata(String name) {
    Map<String, CelType> fields =
        Map.of("name", SimpleType.STRING, "generateName", SimpleType.STRING);
    StructType type =
        StructType.create(
            name,
            ImmutableSet.copyOf(fields.keySet()),
            field -> Optional.ofNullable(fields.get(field)));
    structs.put(name, type);
    return type;
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String typeName) {
    return Optional.ofNullable(structs.get(typeName));
  }
}
