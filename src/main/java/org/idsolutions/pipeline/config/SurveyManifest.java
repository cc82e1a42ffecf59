package org.idsolutions.pipeline.config;

import java.util.List;
import java.util.Map;

/**
 * What the columns of one household-survey export mean ({@code conf/surveys/<survey_id>.yaml},
 * DESIGN 3.3).
 *
 * @param columns source column (as exported; R's {@code X_} prefix and {@code .} separators are
 *     normalised) to standard field
 * @param populationGroups standard group (idp, returnee, non_displaced) to the values the survey
 *     uses for it
 * @param piiColumns columns holding personal data: they never leave the raw layer
 */
public record SurveyManifest(
    String surveyId,
    String country,
    String round,
    String input,
    DateRange dateRange,
    Design design,
    Map<String, String> columns,
    Map<String, List<String>> populationGroups,
    List<String> piiColumns) {

  /** Interview dates that belong to the round. */
  public record DateRange(String start, String end) {}

  /** The sampling design columns. */
  public record Design(String weight, String stratum, String cluster) {}
}
