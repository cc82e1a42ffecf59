package org.idsolutions.pipeline.lakehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a replaceWhere write to indicators.indicator_values declares it can have changed, kept as
 * its commit's {@code userMetadata} so that the trends find the changed series from the Delta log
 * instead of reading the rows (docs/performance.md, change 76). In every partition (source family,
 * country) whose files the commit removed or added: the periods of {@code periodTypes} that hold
 * the country's day in {@code from} and every later one ({@link Sql#periodsFrom}), or all of them
 * for a country without a day.
 *
 * <p>A writer's declaration must cover its replaceWhere predicate: every row the predicate matches,
 * before or after the write, lies in a declared period.
 */
public record PeriodsChanged(List<String> periodTypes, Map<String, LocalDate> from) {
  private static final String KEY = "periodsChanged";
  private static final ObjectMapper JSON = new ObjectMapper();

  public PeriodsChanged {
    periodTypes = List.copyOf(periodTypes);
    from = new TreeMap<>(from);
  }

  /** indicator_values' period types. */
  public static final List<String> PERIOD_TYPES = List.of("month", "quarter", "year");

  /** Every period of these types in the partitions the commit touches. */
  public static PeriodsChanged all(List<String> periodTypes) {
    return new PeriodsChanged(periodTypes, Map.of());
  }

  /**
   * Months, quarters and years: in each country of {@code from}, those holding its day and every
   * later one; in other countries all of them.
   */
  public static PeriodsChanged from(Map<String, LocalDate> from) {
    return new PeriodsChanged(PERIOD_TYPES, from);
  }

  /**
   * The first period start of the type that can differ in the country's partitions (the start of
   * the period holding its day), or null for all of them.
   */
  public LocalDate firstStart(String periodType, String country) {
    LocalDate day = from.get(country);
    return day == null ? null : Sql.periodStart(periodType, day);
  }

  /** The declaration as the commit's userMetadata: {@code {"periodsChanged": {...}}}. */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode body = root.putObject(KEY);
    periodTypes.forEach(body.putArray("periodTypes")::add);
    ObjectNode days = body.putObject("from");
    from.forEach((country, day) -> days.put(country, day.toString()));
    return root.toString();
  }

  /**
   * The declaration in a commit's userMetadata; empty when there is none or it cannot be read (a
   * commit of an older version of the pipeline, or of another writer).
   */
  public static Optional<PeriodsChanged> parse(String userMetadata) {
    if (userMetadata == null) {
      return Optional.empty();
    }
    try {
      JsonNode body = JSON.readTree(userMetadata).path(KEY);
      JsonNode types = body.path("periodTypes");
      JsonNode days = body.path("from");
      if (!types.isArray() || types.isEmpty() || !days.isObject()) {
        return Optional.empty();
      }
      List<String> periodTypes = new ArrayList<>();
      for (JsonNode t : types) {
        Sql.periodStart(t.asText(), LocalDate.EPOCH); // an unknown type is not our declaration
        periodTypes.add(t.asText());
      }
      Map<String, LocalDate> from = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = days.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        from.put(e.getKey(), LocalDate.parse(e.getValue().asText()));
      }
      return Optional.of(new PeriodsChanged(periodTypes, from));
    } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
