package org.idsolutions.pipeline.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.idsolutions.pipeline.conform.survey.SurveyFields;
import org.idsolutions.pipeline.errors.Errors;

/** Loads and checks survey manifests and indicator rules. */
public final class SurveyConfigs {
  public static final Set<String> GROUPS = Set.of("idp", "returnee", "non_displaced");

  private SurveyConfigs() {}

  /** Every manifest in a folder (*.yaml, sorted), or the one file given. */
  public static List<SurveyManifest> manifests(String location) {
    Path path = Path.of(location);
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(path, "*.{yaml,yml}")) {
        dir.forEach(files::add);
      } catch (IOException e) {
        throw Errors.usage("cannot list survey manifests in " + location + ": " + e.getMessage());
      }
      files.sort(Path::compareTo);
    } else if (Files.isRegularFile(path)) {
      files.add(path);
    } else {
      throw Errors.usage(
          "survey manifests "
              + location
              + " do not exist: set inputs.surveys to a folder of manifests");
    }
    List<SurveyManifest> out = new ArrayList<>();
    for (Path f : files) {
      out.add(manifest(f));
    }
    return out;
  }

  /**
   * One manifest, checked: unknown keys, unknown standard fields and missing required entries name
   * the key.
   */
  public static SurveyManifest manifest(Path file) {
    SurveyManifest m = ConfigLoader.bindFile(file, SurveyManifest.class);
    String src = file.toString();
    require(src, "survey-id", m.surveyId());
    require(src, "country", m.country());
    require(src, "round", m.round());
    require(src, "input", m.input());
    if (!m.surveyId().matches("[A-Za-z0-9_.-]+")) {
      throw Errors.badConfigValue(
          src, "survey-id", "may hold only letters, digits, '.', '_' and '-'");
    }
    if (m.design() == null) {
      throw Errors.badConfigValue(
          src, "design", "is missing: give the weight, stratum and cluster columns");
    }
    require(src, "design.weight", m.design().weight());
    require(src, "design.stratum", m.design().stratum());
    require(src, "design.cluster", m.design().cluster());
    if (m.columns() == null || m.columns().isEmpty()) {
      throw Errors.badConfigValue(
          src, "columns", "is empty: map source columns to standard fields");
    }
    for (var e : m.columns().entrySet()) {
      if (!SurveyFields.ALL.containsKey(e.getValue())) {
        throw Errors.badConfigValue(
            src,
            "columns." + e.getKey(),
            "maps to unknown standard field '"
                + e.getValue()
                + "': use one of "
                + String.join(", ", SurveyFields.ALL.keySet()));
      }
    }
    for (String field : SurveyFields.REQUIRED) {
      if (!m.columns().containsValue(field)) {
        throw Errors.badConfigValue(
            src, "columns", "maps no column to required field '" + field + "'");
      }
    }
    if (m.populationGroups() == null || !GROUPS.containsAll(m.populationGroups().keySet())) {
      throw Errors.badConfigValue(
          src, "population-groups", "must list only idp, returnee and non_displaced");
    }
    if (m.dateRange() != null) {
      try {
        java.time.LocalDate.parse(m.dateRange().start());
        java.time.LocalDate.parse(m.dateRange().end());
      } catch (RuntimeException e) {
        throw Errors.badConfigValue(src, "date-range", "needs start and end dates like 2024-08-01");
      }
    }
    return m;
  }

  private static void require(String src, String key, String value) {
    if (value == null || value.isBlank()) {
      throw Errors.badConfigValue(src, key, "is missing");
    }
  }

  /** The indicator rules file, checked. */
  public static IndicatorRules rules(String location) {
    IndicatorRules r = ConfigLoader.bindFile(Path.of(location), IndicatorRules.class);
    if (r.subCriteria() == null || r.subCriteria().isEmpty()) {
      throw Errors.badConfigValue(location, "sub-criteria", "is empty");
    }
    for (IndicatorRules.SubCriterion s : r.subCriteria()) {
      if (s.id() == null || s.criterion() == null || s.expression() == null) {
        throw Errors.badConfigValue(
            location, "sub-criteria", "entry " + s.id() + " needs id, criterion and expression");
      }
    }
    return r;
  }
}
