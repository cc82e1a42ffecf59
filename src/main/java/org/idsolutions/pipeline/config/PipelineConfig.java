package org.idsolutions.pipeline.config;

import java.util.List;
import java.util.Map;

/**
 * The whole typed configuration, bound from YAML with kebab-case keys (see {@link ConfigLoader} for
 * the precedence and docs/configuration.md for every key).
 */
public record PipelineConfig(
    SparkSettings spark,
    LakehouseSettings lakehouse,
    InputSettings inputs,
    TrackingSettings tracking,
    SurveySettings surveys,
    SuppressionSettings suppression,
    QualitySettings quality,
    PublishSettings publish) {

  /**
   * How the SparkSession is built.
   *
   * @param interpretedBelowMb below this many MB of inputs and tables, queries run interpreted
   *     instead of compiling generated code (0: always compile); see {@code ExecutionMode}
   * @param stageInterpretedBelowMb in a command that compiles, a stage that works on fewer MB than
   *     this (new files, recomputed surveys) runs its queries interpreted (0: never)
   */
  public record SparkSettings(
      String master,
      String appName,
      long interpretedBelowMb,
      long stageInterpretedBelowMb,
      Map<String, String> conf) {}

  /** Where the Delta tables live: a local folder or an s3a://, abfss://, hdfs:// URI. */
  public record LakehouseSettings(String root) {}

  /** Default input locations (files or folders); commands' --input overrides them. */
  public record InputSettings(
      String tracking,
      String adminUnits,
      String adminAliases,
      String surveys,
      String indicatorRules,
      String programmes,
      String fxRates,
      String sectorGroups,
      String countries,
      String threeWColumns) {}

  /** How survey answers are read and estimated. */
  public record SurveySettings(
      List<String> yesValues, List<String> noValues, double confidenceLevel) {}

  /** Publication rules for survey estimates (DESIGN 5, 9). */
  public record SuppressionSettings(
      int minRespondents, int lowPrecisionRespondents, double maxCv) {}

  /** Tracking (DTM) rules. */
  public record TrackingSettings(
      List<String> operationPriority,
      List<String> assessmentTypePriority,
      int staleAfterMonths,
      double admin2Tolerance,
      String minReportDate,
      List<String> notAvailable,
      Map<String, List<String>> reasonGroups) {}

  /** Data-quality gates. */
  public record QualitySettings(double maxRejectShare) {}

  /**
   * Where {@code publish} copies the gold tables (DESIGN 7, docs/publish.md).
   *
   * @param url JDBC URL of the PostgreSQL database
   * @param user the role publish logs in as (it owns the published tables)
   * @param password its password; best set from the environment ({@code
   *     SOLUTIONS_PUBLISH_PASSWORD}); empty for none
   * @param schema the schema the tables are published in
   * @param readerRole the read-only role analysts are granted (created when missing)
   * @param batchSize rows per INSERT batch of the JDBC writer
   * @param lockTimeoutSeconds how long the swap waits for readers' locks before it gives up
   */
  public record PublishSettings(
      String url,
      String user,
      String password,
      String schema,
      String readerRole,
      int batchSize,
      int lockTimeoutSeconds) {
    @Override
    public String toString() {
      return "PublishSettings[url="
          + url
          + ", user="
          + user
          + ", password="
          + (password == null || password.isEmpty() ? "" : "***")
          + ", schema="
          + schema
          + ", readerRole="
          + readerRole
          + ", batchSize="
          + batchSize
          + ", lockTimeoutSeconds="
          + lockTimeoutSeconds
          + "]";
    }
  }
}
