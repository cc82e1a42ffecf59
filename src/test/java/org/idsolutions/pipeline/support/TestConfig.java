package org.idsolutions.pipeline.support;

import java.util.Map;
import org.idsolutions.pipeline.config.ConfigLoader;
import org.idsolutions.pipeline.config.PipelineConfig;

/** The documented defaults, with overrides as key/value pairs. */
public final class TestConfig {
  private TestConfig() {}

  public static PipelineConfig defaults(String... keyValues) {
    java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      overrides.put(keyValues[i], keyValues[i + 1]);
    }
    return ConfigLoader.load(null, Map.of(), overrides);
  }
}
