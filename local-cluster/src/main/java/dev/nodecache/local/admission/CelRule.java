package dev.nodecache.local.admission;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One x-kubernetes-validations rule compiled for the schema node it sits on, with {@code self}
 * typed from that node and {@code oldSelf} of the same type (optional when the rule says
 * optionalOldSelf), in an environment with the standard macros and the string and optional
 * extensions the API server also offers.
 */
final class CelRule {
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .addLibraries(CelExtensions.strings(), CelExtensions.optional())
          .build();
  private static final Pattern EVALUATION_AT = Pattern.compile("^evaluation error at [^:]*:\\d+: ");
  private static final Pattern NO_SUCH_KEY =
      Pattern.compile("key '(.*)' is not present in map\\.?");

  final SchemaNode.Rule source;

  /** Where the rule sits, e.g. "spec.upstreams[*]"; for people. */
  final String location;

  final CelAbstractSyntaxTree ast;
  final String compileError;
  final boolean usesOldSelf;
  private final CelRuntime.Program program;
  private final CelRuntime.Program messageProgram;

  private CelRule(
      SchemaNode.Rule source,
      String location,
      CelAbstractSyntaxTree ast,
      CelRuntime.Program program,
      CelRuntime.Program messageProgram,
      String compileError) {
    this.source = source;
    this.location = location;
    this.ast = ast;
    this.program = program;
    this.messageProgram = messageProgram;
    this.compileError = compileError;
    this.usesOldSelf = ast != null && refersTo(ast, "oldSelf");
  }

  static CelRule compile(SchemaNode.Rule rule, String location, CelType self, CelTypes types) {
    CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.optional())
            .setTypeProvider(types)
            .addVar("self", self)
            .addVar("oldSelf", rule.optionalOldSelf() ? OptionalType.create(self) : self)
            .build();
    CelAbstractSyntaxTree ast;
    try {
      ast = compiler.compile(rule.rule()).getAst();
    } catch (CelValidationException e) {
      return failed(rule, location, "compilation failed: " + e.getMessage());
    }
    if (!ast.getResultType().equals(SimpleType.BOOL)) {
      return failed(rule, location, "cel expression must evaluate to a bool");
    }
    CelRuntime.Program messageProgram = null;
    if (rule.messageExpression() != null) {
      try {
        CelAbstractSyntaxTree message = compiler.compile(rule.messageExpression()).getAst();
        if (!message.getResultType().equals(SimpleType.STRING)) {
          return failed(rule, location, "messageExpression must evaluate to a string");
        }
        messageProgram = RUNTIME.createProgram(message);
      } catch (CelValidationException | CelEvaluationException e) {
        return failed(rule, location, "messageExpression compilation failed: " + e.getMessage());
      }
    }
    try {
      return new CelRule(rule, location, ast, RUNTIME.createProgram(ast), messageProgram, null);
    } catch (CelEvaluationException e) {
      return failed(rule, location, "program instantiation failed: " + e.getMessage());
    }
  }

  private static CelRule failed(SchemaNode.Rule rule, String location, String error) {
    return new CelRule(rule, location, null, null, null, error);
  }

  /** The result of a rule: true, false, or why it could not be evaluated. */
  record Outcome(boolean passed, String error) {}

  /** Evaluates the rule; {@code oldSelf} is null on create. */
  Outcome evaluate(Object self, Object oldSelf) {
    try {
      Object result = program.eval(activation(self, oldSelf));
      return new Outcome(Boolean.TRUE.equals(result), null);
    } catch (CelEvaluationException e) {
      return new Outcome(false, errorText(e));
    }
  }

  /**
   * Why the rule refused: its messageExpression's text, else its message, else "failed rule:" and
   * the rule. A failing messageExpression falls back, as on the API server.
   */
  String message(Object self, Object oldSelf) {
    if (messageProgram != null) {
      try {
        String text = String.valueOf(messageProgram.eval(activation(self, oldSelf))).strip();
        if (!text.isEmpty() && !text.contains("\n")) {
          return text;
        }
      } catch (CelEvaluationException e) {
        // The message below is used.
      }
    }
    return hasMessage() ? source.message().strip() : "failed rule: " + source.rule().strip();
  }

  /** The rule's message, or its text where it has none, as the API server names a rule. */
  String name() {
    return hasMessage() ? source.message().strip() : source.rule().strip();
  }

  private boolean hasMessage() {
    return source.message() != null && !source.message().isBlank();
  }

  private Map<String, Object> activation(Object self, Object oldSelf) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", self);
    if (source.optionalOldSelf()) {
      vars.put("oldSelf", Optional.ofNullable(oldSelf));
    } else if (oldSelf != null) {
      vars.put("oldSelf", oldSelf);
    }
    return vars;
  }

  /** CEL's wording, close to the API server's: "no such key: x". */
  private static String errorText(CelEvaluationException e) {
    String text = EVALUATION_AT.matcher(String.valueOf(e.getMessage())).replaceFirst("");
    Matcher key = NO_SUCH_KEY.matcher(text);
    return key.matches() ? "no such key: " + key.group(1) : text;
  }

  private static boolean refersTo(CelAbstractSyntaxTree ast, String variable) {
    return CelNavigableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .anyMatch(
            node ->
                node.getKind() == CelExpr.ExprKind.Kind.IDENT
                    && node.expr().ident().name().equals(variable));
  }
}
