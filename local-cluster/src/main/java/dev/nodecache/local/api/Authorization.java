package dev.nodecache.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The local cluster authenticates nobody and allows everything; its self-review endpoints say so,
 * as a real API server answers them for its user (JOSDK asks before it takes a Lease).
 */
final class Authorization {
  static final String RULES_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  static final String ACCESS_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Authorization() {}

  static boolean handles(String method, String path) {
    return method.equals("POST") && (path.equals(RULES_REVIEW) || path.equals(ACCESS_REVIEW));
  }

  /** The review that was asked for, with its status filled in: allowed. */
  static ObjectNode review(String path, JsonNode request) {
    ObjectNode review =
        request != null && request.isObject()
            ? (ObjectNode) request.deepCopy()
            : JSON.createObjectNode();
    review.put("apiVersion", "authorization.k8s.io/v1");
    ObjectNode status = review.putObject("status");
    if (path.equals(RULES_REVIEW)) {
      review.put("kind", "SelfSubjectRulesReview");
      ObjectNode all = status.putArray("resourceRules").addObject();
      all.putArray("verbs").add("*");
      all.putArray("apiGroups").add("*");
      all.putArray("resources").add("*");
      ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
      nonResource.putArray("verbs").add("*");
      nonResource.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
    } else {
      review.put("kind", "SelfSubjectAccessReview");
      status.put("allowed", true);
      status.put("reason", "the local cluster has no authorization");
    }
    return review;
  }
}
