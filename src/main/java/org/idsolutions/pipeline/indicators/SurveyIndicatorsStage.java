package org.idsolutions.pipeline.indicators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.year;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.IndicatorRules;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.indicators.survey.SurveyIndicators;
import org.idsolutions.pipeline.lakehouse.ChangeFeed;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.PeriodsChanged;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.stage.ExecutionMode;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * conformed.survey_households -> indicators.indicator_values (source family survey). Skips when
 * neither the households nor the indicator rules and publication settings changed since the last
 * run; otherwise recomputes only the surveys whose households changed (read from Delta's change
 * data feed) and replaces their values. A backfill ({@link Backfill}) also recomputes the surveys
 * whose year overlaps its window, and applies changed settings to those only.
 */
public final class SurveyIndicatorsStage implements Stage {
  public static final String NAME = "indicators-surveys";

  /**
   * Changes of method that change published values, part of the settings hash, so that the first
   * run after an upgrade recomputes every survey: complementary suppression and the benchmark per
   * country and round (thirty-eighth session).
   */
  static final String METHOD = ";method=complementary-suppression,benchmark-per-country-round";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    PipelineConfig config = ctx.config();
    if (!lh.exists(Tables.SURVEY_HOUSEHOLDS)) {
      return StageResult.skipped(NAME, null, "no conformed survey data yet: run ingest surveys");
    }
    IndicatorRules rules = SurveyConfigs.rules(config.inputs().indicatorRules());
    String settings =
        Fingerprints.sha256(
                rules.subCriteria().toString()
                    + config.suppression()
                    + config.surveys().confidenceLevel()
                    + METHOD)
            .substring(0, 12);
    long version = lh.version(Tables.SURVEY_HOUSEHOLDS);
    String fingerprint = "survey_households@" + version + ";settings=" + settings;
    String last = RunLog.lastFingerprint(lh, NAME);
    if (ctx.mayBeUpToDate() && fingerprint.equals(last)) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    // every value belongs to one survey (its source_operation): only the changed surveys' values
    // are recomputed and replaced
    // a backfill applies changed settings to its window's surveys only: the change feed is read
    // whatever settings the last run had
    Backfill window = ctx.backfill();
    List<Row> changed =
        changedSurveys(lh, last, window == null ? settings : null, version, ctx.force());
    List<String> scope = null;
    if (changed != null) {
      List<Row> surveys = new ArrayList<>(changed);
      if (window != null) {
        surveys.addAll(surveysIn(lh, window));
      }
      scope = sharingBenchmarks(lh, surveys);
    }
    if (scope != null && scope.isEmpty()) {
      return StageResult.skipped(
          NAME,
          fingerprint,
          window == null
              ? "no survey changed since the last run"
              : "no survey changed since the last run or has its year in " + window);
    }
    try (SparkSessions.Restore mode =
        ExecutionMode.forStage(ctx.spark(), config, NAME, exportBytes(ctx, scope))) {
      return compute(ctx, rules, fingerprint, scope);
    }
  }

  private static StageResult compute(
      StageContext ctx, IndicatorRules rules, String fingerprint, List<String> scope) {
    Lakehouse lh = ctx.lakehouse();
    PipelineConfig config = ctx.config();
    Dataset<Row> households = lh.read(Tables.SURVEY_HOUSEHOLDS);
    String replace = "source_family = 'survey'";
    if (scope != null) {
      households = households.where(col("survey_id").isin(scope.toArray()));
      replace += " AND " + Sql.in("source_operation", scope);
    }
    // a recomputed round is often one file, so one partition: spread it over the cores
    households = Lakehouse.overCores(households).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> values =
        SurveyIndicators.compute(
            ctx.spark(),
            households,
            rules,
            config.suppression(),
            config.surveys().confidenceLevel(),
            ctx.runId());
    long read = households.count();
    // survey values are yearly; a changed survey's periods are all declared changed (a few rounds)
    long written =
        lh.overwrite(values, Tables.INDICATOR_VALUES, replace, PeriodsChanged.all(List.of("year")));
    households.unpersist();
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        written,
        0,
        lh.versions(List.of(Tables.SURVEY_HOUSEHOLDS, Tables.INDICATOR_VALUES)),
        fingerprint,
        scope == null ? "all surveys recomputed" : "surveys " + scope + " recomputed");
  }

  /**
   * Bytes of the Kobo exports of the surveys in scope (all when null), the size of the work; -1
   * when a survey in scope has no manifest among the inputs, or a manifest or export is missing or
   * unreadable (the households are in the lakehouse whatever the inputs hold now, so their size is
   * then unknown).
   */
  private static long exportBytes(StageContext ctx, List<String> scope) {
    try {
      Map<String, String> exports = new HashMap<>();
      for (SurveyManifest m : SurveyConfigs.manifests(ctx.config().inputs().surveys())) {
        exports.put(m.surveyId(), m.input());
      }
      if (scope != null && !exports.keySet().containsAll(scope)) {
        return -1;
      }
      List<String> files =
          scope == null ? List.copyOf(exports.values()) : scope.stream().map(exports::get).toList();
      return ExecutionMode.bytesOf(ctx.spark().sparkContext().hadoopConfiguration(), files);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * The surveys whose values' period (the year of their first interview) overlaps the window, as
   * (survey_id, country, round): a row per survey is collected.
   */
  static List<Row> surveysIn(Lakehouse lh, Backfill window) {
    Column year = year(min(col("survey_date")));
    return lh.read(Tables.SURVEY_HOUSEHOLDS)
        .groupBy("survey_id", "country", "round")
        .agg(year.as("year"))
        .where(
            col("year").geq(window.first().getYear()).and(col("year").leq(window.last().getYear())))
        .select("survey_id", "country", "round")
        .collectAsList();
  }

  /**
   * The surveys given as (survey_id, country, round), and every survey that shares a country and
   * round with one of them, sorted: they share the composite benchmark (HouseholdMeasures), so a
   * change to one changes the others' exited_composite. A row per survey of the countries given is
   * collected.
   */
  static List<String> sharingBenchmarks(Lakehouse lh, List<Row> surveys) {
    TreeSet<String> out = new TreeSet<>();
    Set<List<String>> rounds = new HashSet<>();
    for (Row r : surveys) {
      out.add(r.getString(0));
      rounds.add(List.of(r.getString(1), r.getString(2)));
    }
    if (rounds.isEmpty()) {
      return List.of();
    }
    Object[] countries = rounds.stream().map(k -> k.get(0)).distinct().toArray();
    for (Row r :
        lh.read(Tables.SURVEY_HOUSEHOLDS)
            .where(col("country").isin(countries))
            .select("survey_id", "country", "round")
            .distinct()
            .collectAsList()) {
      if (rounds.contains(List.of(r.getString(1), r.getString(2)))) {
        out.add(r.getString(0));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The surveys whose households changed since the version the last run used (loaded, reloaded or
   * removed), as (survey_id, country, round); null for all (first run, changed settings, forced, or
   * no readable history).
   */
  private static List<Row> changedSurveys(
      Lakehouse lh, String last, String settings, long version, boolean force) {
    return ChangeFeed.since(
        lh,
        Tables.SURVEY_HOUSEHOLDS,
        last,
        settings,
        version,
        force,
        changes -> changes.select("survey_id", "country", "round").distinct());
  }
}
