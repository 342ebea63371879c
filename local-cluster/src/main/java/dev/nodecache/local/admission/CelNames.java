package dev.nodecache.local.admission;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Property names as CEL sees them, escaped as the API server escapes them: {@code __dash__} for
 * '-', {@code __dot__} for '.', {@code __slash__} for '/', {@code __underscores__} for "__", and
 * reserved words wrapped in "__". Names that cannot be escaped are not visible to rules.
 */
final class CelNames {
  private static final Set<String> RESERVED =
      Set.of(
          "true",
          "false",
          "null",
          "in",
          "as",
          "break",
          "const",
          "continue",
          "else",
          "for",
          "function",
          "if",
          "import",
          "let",
          "loop",
          "package",
          "namespace",
          "return",
          "var",
          "void",
          "while");
  private static final Pattern ESCAPABLE = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_./-]*$");

  private CelNames() {}

  static Optional<String> escape(String name) {
    if (RESERVED.contains(name)) {
      return Optional.of("__" + name + "__");
    }
    if (!ESCAPABLE.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        name.replace("__", "__underscores__")
            .replace(".", "__dot__")
            .replace("-", "__dash__")
            .replace("/", "__slash__"));
  }
}
