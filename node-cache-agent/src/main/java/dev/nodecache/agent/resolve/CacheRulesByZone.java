package dev.nodecache.agent.resolve;

import dev.nodecache.agent.config.AgentConfig;
import dev.nodecache.agent.config.AgentConfig.CacheRules;
import dev.nodecache.agent.dns.CacheKey;
import dev.nodecache.agent.dns.ZoneMatcher;
import java.util.LinkedHashMap;
import java.util.Map;

/** The cache rules that apply to a name: the longest matching per-zone override, or defaults. */
public final class CacheRulesByZone {
  private final ZoneMatcher<CacheRules> matcher;

  public CacheRulesByZone(AgentConfig.Cache cache) {
    Map<String, CacheRules> byZone = new LinkedHashMap<>();
    for (AgentConfig.ZoneRules z : cache.zones()) {
      z.zones().forEach(name -> byZone.put(name, z.rules()));
    }
    this.matcher = new ZoneMatcher<>(byZone, cache.defaults());
  }

  public CacheRules rulesFor(String name) {
    return matcher.match(name);
  }

  public CacheRules rulesFor(CacheKey key) {
    byte[] name = key.name();
    return matcher.match(name, name.length);
  }
}
