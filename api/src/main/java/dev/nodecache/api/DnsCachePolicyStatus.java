package dev.nodecache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed: conditions, node counts, the last flush, migrations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsCachePolicyStatus {
  public Long observedGeneration;

  /**
   * The policy's health in a word or two, for kubectl's Status column: Ready, Starting,
   * Progressing: RollingOut, Degraded: REASON, Conflict, NotReady: REASON.
   */
  public String state;

  /** Ready, Progressing, Degraded, and Conflict when policies overlap. */
  public List<Condition> conditions = new ArrayList<>();

  public Nodes nodes;

  public Flush lastFlush;

  public List<MigrationStatus> migrations = new ArrayList<>();

  public InvalidationStatus invalidation;

  /** Agent pods on nodes, from the DaemonSet. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Nodes {
    public Integer desired;
    public Integer ready;
    public Integer updated;

    /** "ready/desired", for kubectl's Ready column. */
    public String summary;
  }

  /** The last flush requested with the nodecache.dev/flush annotation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Flush {
    public String id;

    /** Empty = everything. */
    public List<String> names = new ArrayList<>();

    /** Pending, InProgress, Completed or Failed. */
    public String phase;

    public String requestedAt;
    public String completedAt;
    public Integer acknowledged;
    public Integer failed;
    public List<String> failedNodes = new ArrayList<>();

    /** Why a flush was refused or failed, for people. */
    public String message;

    /** "ID Phase acknowledged/all", for kubectl's Last Flush column. */
    public String summary;
  }

  /** One migration's progress. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MigrationStatus {
    public String name;

    /** Scheduled, Draining, CutOver or Completed. */
    public String phase;

    public String drainStartsAt;
    public String cutoverAt;
    public String flushedAt;
    public String nodesServingNew;
  }

  /** How far the nodes follow the cluster's Services (SPEC §3a). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class InvalidationStatus {
    /** Following, Off, or NotForwarded (no upstream group serves the cluster domain). */
    public String phase;

    /** The number of the last batch of invalidated names sent in this operator's stream. */
    public Long batch;

    /** When the last batch was made. */
    public String lastBatchAt;

    /** Nodes that have applied the last batch, of all the policy's nodes. */
    public Integer upToDate;

    public Integer nodes;

    /** The slowest node's lag in the last batch, from the operator seeing the change. */
    public Long lastLagMillis;

    /** Nodes that have not acknowledged for a while (first 20). */
    public List<String> behindNodes = new ArrayList<>();

    /** "upToDate/nodes", for kubectl. */
    public String summary;
  }
}
