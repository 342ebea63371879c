package dev.nodecache.local.api.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The patch types as the API server applies them (RFC 7386, RFC 6902, strategic, apply). */
class PatchesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode j(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void mergePatchReplacesListsAndNullDeletes() throws Exception {
    JsonNode target =
        j(
            "{'spec':{'upstreams':[{'z':1},{'z':2},{'z':3}],'cache':{'minTtl':'5s',"
                + "'maxTtl':'1h'}},'metadata':{'annotations':{'a':'1','b':'2'}}}");
    JsonNode patch =
        j(
            "{'spec':{'upstreams':[{'z':9}],'cache':{'minTtl':null}},"
                + "'metadata':{'annotations':{'a':null,'c':'3'}}}");
    assertEquals(
        j(
            "{'spec':{'upstreams':[{'z':9}],'cache':{'maxTtl':'1h'}},"
                + "'metadata':{'annotations':{'b':'2','c':'3'}}}"),
        MergePatch.apply(target, patch));
    assertEquals(3, target.path("spec").path("upstreams").size(), "target untouched");
  }

  @Test
  void jsonPatchAppliesEveryOperationWithEscapedPointers() throws Exception {
    JsonNode target = j("{'metadata':{'annotations':{'nodecache.dev/flush':'1'}},'a':[1,2,3]}");
    JsonNode patch =
        j(
            "[{'op':'test','path':'/metadata/annotations/nodecache.dev~1flush',"
                + "'value':'1'},{'op':'replace','path':'/metadata/annotations/nodecache.dev~1flush',"
                + "'value':'2'},{'op':'add','path':'/a/-','value':4},{'op':'remove','path':'/a/0'},"
                + "{'op':'copy','from':'/a/0','path':'/b'},{'op':'move','from':'/b','path':'/c~0d'},"
                + "{'op':'add','path':'/a/1','value':9}]");
    assertEquals(
        j("{'metadata':{'annotations':{'nodecache.dev/flush':'2'}},'a':[2,9,3,4]," + "'c~d':2}"),
        JsonPatch.apply(target, patch));
  }

  @Test
  void aFailedJsonPatchTestIsUnprocessableAndAMalformedPatchABadRequest() throws Exception {
    JsonNode target = j("{'a':1}");
    InvalidPatch failed =
        assertThrows(
            InvalidPatch.class,
            () -> JsonPatch.apply(target, j("[{'op':'test','path':'/a','value':2}]")));
    assertEquals(422, failed.code());
    assertEquals(
        422,
        assertThrows(
                InvalidPatch.class,
                () -> JsonPatch.apply(target, j("[{'op':'remove','path':'/nope'}]")))
            .code());
    assertEquals(
        400,
        assertThrows(InvalidPatch.class, () -> JsonPatch.apply(target, j("{'op':'add'}"))).code());
    assertEquals(target, JsonPatch.apply(target, j("[{'op':'test','path':'/a','value':1.0}]")));
  }

  @Test
  void strategicMergePatchMergesListsByTheirKeyAndHonoursDirectives() throws Exception {
    JsonNode ds =
        j(
            "{'metadata':{'finalizers':['a']},'spec':{'template':{'spec':{"
                + "'containers':[{'name':'agent','image':'v1','env':[{'name':'A','value':'1'},"
                + "{'name':'B','value':'2'}],'ports':[{'containerPort':53,'protocol':'UDP'}]}],"
                + "'volumes':[{'name':'config','configMap':{'name':'c'}},{'name':'old','emptyDir':{}}],"
                + "'nodeSelector':{'x':'1','y':'2'},'tolerations':[{'key':'k'}]}}}}");
    JsonNode patch =
        j(
            "{'metadata':{'finalizers':['b']},'spec':{'template':{'spec':{"
                + "'$setElementOrder/containers':[{'name':'agent'}],"
                + "'containers':[{'name':'agent','image':'v2','env':[{'name':'B','$patch':'delete'},"
                + "{'name':'C','value':'3'}]},{'name':'sidecar','image':'s'}],"
                + "'volumes':[{'name':'old','$patch':'delete'}],"
                + "'nodeSelector':{'$patch':'replace','z':'3'},'tolerations':[{'key':'t'}]}}}}");
    assertEquals(
        j(
            "{'metadata':{'finalizers':['a','b']},'spec':{'template':{'spec':{"
                + "'containers':[{'name':'agent','image':'v2','env':[{'name':'A','value':'1'},"
                + "{'name':'C','value':'3'}],'ports':[{'containerPort':53,'protocol':'UDP'}]},"
                + "{'name':'sidecar','image':'s'}],'volumes':[{'name':'config','configMap':"
                + "{'name':'c'}}],'nodeSelector':{'z':'3'},'tolerations':[{'key':'t'}]}}}}"),
        StrategicMergePatch.apply(ds, patch));
  }

  @Test
  void strategicMergePatchDeletesFromPrimitiveListsAndRetainsKeys() throws Exception {
    JsonNode o =
        j(
            "{'metadata':{'finalizers':['a','b']},'spec':{'strategy':{'type':'Rolling',"
                + "'rollingUpdate':{'maxSurge':1}}}}");
    JsonNode patch =
        j(
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']},"
                + "'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
    assertEquals(
        j("{'metadata':{'finalizers':['b']},'spec':{'strategy':{'type':'Recreate'}}}"),
        StrategicMergePatch.apply(o, patch));
  }

  @Test
  void applyCreatesThenMergesAndDropsWhatTheManagerNoLongerApplies() throws Exception {
    JsonNode first = j("{'spec':{'cache':{'maxTtl':'1h','minTtl':'5s'},'listen':{'port':53}}}");
    assertEquals(first, ApplyPatch.apply(null, first, null, false));
    JsonNode stored =
        j(
            "{'metadata':{'uid':'u'},'spec':{'cache':{'maxTtl':'1h','minTtl':'5s'},"
                + "'listen':{'port':53}},'status':{'x':1}}");
    JsonNode second = j("{'spec':{'cache':{'maxTtl':'2h'},'listen':{'port':53}}}");
    assertEquals(
        j(
            "{'metadata':{'uid':'u'},'spec':{'cache':{'maxTtl':'2h'},'listen':"
                + "{'port':53}},'status':{'x':1}}"),
        ApplyPatch.apply(stored, second, first, false));
  }
}
