package org.idsolutions.pipeline.config;

import java.nio.file.Path;
import java.util.Map;

/** conf/3w-columns.yaml: the HXL tag of each header, for 3W sheets without a tag row. */
public record ThreeWColumns(Map<String, String> headers) {
  public static ThreeWColumns load(String location) {
    ThreeWColumns c = ConfigLoader.bindFile(Path.of(location), ThreeWColumns.class);
    return c.headers() == null ? new ThreeWColumns(Map.of()) : c;
  }
}
