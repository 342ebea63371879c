/**
 * Prints the JVM flags the operator gives an agent whose policy has {@code maxEntries} entries and
 * no memory limit (the memory rule): {@code java -cp node-cache-agent.jar bench/MemoryFlags.java N}.
 */
public class MemoryFlags {
  public static void main(String[] args) {
    int maxEntries = Integer.parseInt(args.length > 0 ? args[0] : "100000");
    System.out.println(dev.nodecache.agent.config.MemoryRule.forEntries(maxEntries).javaOptions());
  }
}
