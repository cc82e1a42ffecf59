package org.idsolutions.pipeline.ingest;

import java.io.IOException;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.config.ThreeWColumns;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.raw.InputFiles;

/**
 * The settings a family's rows are conformed with at ingest, as one hash kept with each load in
 * ops.load_files: a file whose latest load had another hash is loaded again, as if forced, so a
 * changed setting or reference file reaches the rows loaded before it (docs/configuration.md, "When
 * a setting takes effect"). Only what changes the conformed rows is in it; the indicator settings
 * have fingerprints of their own, and the quality gate only decides whether a file loads.
 */
final class IngestSettings {
  private IngestSettings() {}

  /** tracking.min-report-date, not-available, reason-groups, the admin units and aliases. */
  static String tracking(Configuration hadoop, PipelineConfig config) {
    PipelineConfig.TrackingSettings t = config.tracking();
    return hash(
        "min-report-date=" + t.minReportDate(),
        "not-available=" + t.notAvailable(),
        "reason-groups=" + new TreeMap<>(t.reasonGroups()),
        content(hadoop, "inputs.admin-units", config.inputs().adminUnits()),
        content(hadoop, "inputs.admin-aliases", config.inputs().adminAliases()));
  }

  /**
   * Per survey: surveys.yes-values and no-values, the survey's manifest (all but where its export
   * is) and the admin units, so that one survey's manifest changed loads that survey again, not the
   * others.
   */
  static Function<SurveyManifest, String> surveys(Configuration hadoop, PipelineConfig config) {
    String units = content(hadoop, "inputs.admin-units", config.inputs().adminUnits());
    return m ->
        hash(
            "yes-values=" + config.surveys().yesValues(),
            "no-values=" + config.surveys().noValues(),
            "manifest="
                + new SurveyManifest(
                    m.surveyId(),
                    m.country(),
                    m.round(),
                    null,
                    m.dateRange(),
                    m.design(),
                    new TreeMap<>(m.columns()),
                    new TreeMap<>(m.populationGroups()),
                    m.piiColumns()),
            units);
  }

  /**
   * Changes of the programme conform that change conformed rows, so that the first run after an
   * upgrade loads every programme file again: 3W ids by the file's path, revised IATI budgets, one
   * sector vocabulary per activity, negative percentages and missing IATI identifiers quarantined
   * (thirty-eighth session).
   */
  static final String PROGRAMME_METHOD =
      "method=3w-id-by-path,revised-budgets-replace,one-sector-vocabulary,negative-percentages,missing-id";

  /** The fx rates, sector groups, countries, 3W columns, admin units and the conform's method. */
  static String programme(Configuration hadoop, PipelineConfig config) {
    PipelineConfig.InputSettings in = config.inputs();
    return hash(
        PROGRAMME_METHOD,
        content(hadoop, "inputs.fx-rates", in.fxRates()),
        content(hadoop, "inputs.sector-groups", in.sectorGroups()),
        content(hadoop, "inputs.countries", in.countries()),
        "three-w-columns=" + new TreeMap<>(ThreeWColumns.load(in.threeWColumns()).headers()),
        content(hadoop, "inputs.admin-units", in.adminUnits()));
  }

  private static String hash(String... parts) {
    return Fingerprints.sha256(String.join("\n", parts)).substring(0, 16);
  }

  /** A reference file's SHA-256 (read through Hadoop's FileSystem), or none when it is not set. */
  private static String content(Configuration hadoop, String key, String location) {
    if (location == null || location.isBlank()) {
      return key + "=none";
    }
    try {
      Path p = new Path(location);
      return key + "=" + InputFiles.sha256(p.getFileSystem(hadoop), p);
    } catch (IOException e) {
      throw Errors.usage(
          "cannot read " + location + " (" + key + "): " + e.getMessage() + ": fix " + key);
    }
  }
}
