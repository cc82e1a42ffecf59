package org.idsolutions.pipeline.ops;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Run ids: the UTC start time, readable and sortable, plus a random suffix. */
public final class RunIds {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private RunIds() {}

  public static String next() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(FORMAT)
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }
}
