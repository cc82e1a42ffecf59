package org.idsolutions.pipeline.conform.survey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The standard survey fields a manifest maps columns to (DESIGN 3.3), with how each is typed. */
public final class SurveyFields {
  /** How a field's text is turned into a value. */
  public enum Kind {
    TEXT,
    DATE,
    TIMESTAMP,
    YES_NO,
    COUNT
  }

  public static final Map<String, Kind> ALL = new LinkedHashMap<>();

  static {
    ALL.put("uuid", Kind.TEXT);
    ALL.put("submission_time", Kind.TIMESTAMP);
    ALL.put("survey_date", Kind.DATE);
    ALL.put("admin1_pcode", Kind.TEXT);
    ALL.put("admin2_pcode", Kind.TEXT);
    ALL.put("population_group", Kind.TEXT);
    ALL.put("victim_violence_12m", Kind.YES_NO);
    ALL.put("free_movement", Kind.YES_NO);
    ALL.put("fies_raw_score", Kind.COUNT);
    ALL.put("shelter_adequate", Kind.YES_NO);
    ALL.put("health_access", Kind.YES_NO);
    ALL.put("school_age_children", Kind.COUNT);
    ALL.put("children_enrolled", Kind.COUNT);
    ALL.put("employed", Kind.YES_NO);
    ALL.put("income_covers_needs", Kind.YES_NO);
    ALL.put("tenure_secure", Kind.YES_NO);
    ALL.put("has_civil_documentation", Kind.YES_NO);
  }

  /** Fields every manifest must map. */
  public static final List<String> REQUIRED =
      List.of("uuid", "admin1_pcode", "population_group", "survey_date");

  /** The fields indicators are computed from (everything but identifiers, dates and places). */
  public static List<String> measures() {
    return ALL.entrySet().stream()
        .filter(e -> e.getValue() == Kind.YES_NO || e.getValue() == Kind.COUNT)
        .map(Map.Entry::getKey)
        .toList();
  }

  private SurveyFields() {}
}
