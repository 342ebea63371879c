package dev.nodecache.kubectl;

import java.util.List;

/**
 * Shell completion. kubectl (1.26+) completes a plugin's arguments by running {@code
 * kubectl_complete-nodecache ARGS… PARTIAL} (bin/), which calls {@code kubectl-nodecache __complete
 * ARGS… PARTIAL}: candidates one per line, then {@code :4} (cobra's "no file completion"). For
 * {@code kubectl-nodecache} called directly, {@code completion bash|zsh} prints a script.
 */
final class Completion {
  static final List<String> COMMANDS =
      List.of("flush", "status", "cache", "migrate", "completion", "version", "help");
  private static final String NO_FILES = ":4";

  private Completion() {}

  /** {@code words}: what is typed so far, the last one being the word to complete (maybe ""). */
  static List<String> candidates(List<String> words, PolicyNames policies) {
    String partial = words.isEmpty() ? "" : words.get(words.size() - 1);
    List<String> before = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
    String previous = before.isEmpty() ? "" : before.get(before.size() - 1);
    if (previous.equals("--output") || previous.equals("-o")) {
      return matching(List.of("text", "json"), partial);
    }
    if (Args.VALUED.contains(previous) || previous.equals("-n")) {
      return List.of();
    }
    if (partial.startsWith("-")) {
      List<String> flags = new java.util.ArrayList<>(Args.VALUED);
      flags.addAll(Args.SWITCHES);
      return matching(flags.stream().sorted().toList(), partial);
    }
    // the words typed so far, without flags and the values of flags that take one
    List<String> positional = new java.util.ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      String w = before.get(i);
      if (!w.startsWith("-")) {
        positional.add(w);
      } else if (Args.VALUED.contains(w) || w.equals("-n") || w.equals("-o")) {
        i++;
      }
    }
    if (positional.isEmpty()) {
      return matching(COMMANDS, partial);
    }
    String command = positional.get(0);
    int at = positional.size(); // index of the word being completed
    return switch (command) {
      case "flush", "status" -> at == 1 ? matching(policies.get(), partial) : List.of();
      case "cache" -> at == 2 ? matching(policies.get(), partial) : List.of();
      case "migrate" ->
          at == 1
              ? matching(List.of("plan", "status"), partial)
              : at == 2 ? matching(policies.get(), partial) : List.of();
      case "completion" -> at == 1 ? matching(List.of("bash", "zsh"), partial) : List.of();
      default -> List.of();
    };
  }

  /** The policy names, read only when a completion needs them. */
  interface PolicyNames {
    List<String> get();
  }

  static void print(List<String> candidates, Console console) {
    candidates.forEach(console.out::println);
    console.out.println(NO_FILES);
  }

  private static List<String> matching(List<String> all, String partial) {
    return all.stream().filter(c -> c.startsWith(partial)).toList();
  }

  static String script(String shell) {
    return switch (shell) {
      case "bash" ->
          """
          # kubectl-nodecache completion for bash: source <(kubectl-nodecache completion bash)
          # (`kubectl nodecache …` completes through kubectl_complete-nodecache on PATH instead.)
          _kubectl_nodecache() {
            local IFS=$'\\n'
            local out
            out=$(kubectl-nodecache __complete "${COMP_WORDS[@]:1:$COMP_CWORD}" 2>/dev/null)
            COMPREPLY=($(printf '%s\\n' "$out" | grep -v '^:'))
          }
          complete -F _kubectl_nodecache kubectl-nodecache
          """;
      case "zsh" ->
          """
          #compdef kubectl-nodecache
          # kubectl-nodecache completion for zsh: source <(kubectl-nodecache completion zsh)
          _kubectl_nodecache() {
            local -a candidates
            candidates=("${(@f)$(kubectl-nodecache __complete "${(@)words[2,CURRENT]}" 2>/dev/null \\
              | grep -v '^:')}")
            compadd -a candidates
          }
          compdef _kubectl_nodecache kubectl-nodecache
          """;
      default -> throw new UserError("completion " + shell + ": use bash or zsh");
    };
  }
}
