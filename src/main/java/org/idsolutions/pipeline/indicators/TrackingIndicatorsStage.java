package org.idsolutions.pipeline.indicators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.idsolutions.pipeline.config.PipelineConfig.TrackingSettings;
import org.idsolutions.pipeline.conform.tracking.TrackingConform;
import org.idsolutions.pipeline.indicators.tracking.TrackingIndicators;
import org.idsolutions.pipeline.lakehouse.ChangeFeed;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.PeriodsChanged;
import org.idsolutions.pipeline.lakehouse.Sql;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.Fingerprints;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * conformed.tracking_counts -> indicators.indicator_values (source family tracking). Skips when
 * neither the conformed table nor the tracking settings changed since the last run; otherwise
 * recomputes only the countries whose conformed rows changed (read from Delta's change data feed),
 * from the first period their change can reach, and replaces those rows.
 */
public final class TrackingIndicatorsStage implements Stage {
  public static final String NAME = "indicators-tracking";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    TrackingSettings settings = ctx.config().tracking();
    if (!lh.exists(Tables.TRACKING_COUNTS)) {
      return StageResult.skipped(NAME, null, "no conformed tracking data yet: run ingest tracking");
    }
    long version = lh.version(Tables.TRACKING_COUNTS);
    String settingsHash = Fingerprints.sha256(settings.toString()).substring(0, 12);
    String fingerprint = "tracking_counts@" + version + ";settings=" + settingsHash;
    String last = RunLog.lastFingerprint(lh, NAME);
    if (!ctx.force() && fingerprint.equals(last)) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    Map<String, LocalDate> scope = changedScope(lh, last, settingsHash, version, ctx.force());

    if (scope != null && scope.isEmpty()) {
      return StageResult.skipped(NAME, fingerprint, "no country changed since the last run");
    }
    Dataset<Row> conformed = lh.read(Tables.TRACKING_COUNTS);
    if (scope != null) {
      // reports from the year of each country's latest unchanged report on: the year that holds
      // it is recomputed, from all its reports
      Map<String, LocalDate> firstYears = new TreeMap<>();
      scope.forEach((country, l) -> firstYears.put(country, l == null ? null : l.withDayOfYear(1)));
      conformed = conformed.where(TrackingConform.reportsFrom(firstYears));
    }
    // The units' stocks read the reports three times (each admin 1 unit's figures, the admin 2
    // units, the admin 1 names): they are read from the table once, by the count, and kept until
    // the write is done (docs/performance.md, changes 49 and 87).
    conformed = conformed.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long read = conformed.count();
      return write(ctx, lh, conformed, scope, read, fingerprint, settings);
    } finally {
      conformed.unpersist();
    }
  }

  private StageResult write(
      StageContext ctx,
      Lakehouse lh,
      Dataset<Row> conformed,
      Map<String, LocalDate> scope,
      long read,
      String fingerprint,
      TrackingSettings settings) {
    String replace = "source_family = 'tracking'";
    PeriodsChanged declared = PeriodsChanged.all(PeriodsChanged.PERIOD_TYPES);
    Dataset<Row> previous = null;
    Column wanted = null;
    if (scope != null) {
      Map<String, LocalDate> from = new TreeMap<>(scope);
      from.values().removeIf(Objects::isNull);
      previous =
          from.isEmpty()
              ? null
              : TrackingIndicators.previousStocks(lh.read(Tables.INDICATOR_VALUES), from);
      // of the reports' periods, only those that can differ are computed and written (the
      // year's earlier months and quarters are left as stored; their stocks before the first
      // recomputed ones come from the table)
      wanted = expr(changedPeriodsSql(scope, "country_code"));
      replace += " AND (" + changedPeriodsSql(scope, "country") + ")";
      declared = PeriodsChanged.from(from);
    }
    // the units' stocks are computed once: the indicators read them four times, and each read
    // repeated the reports' aggregations, joins and selection (docs/performance.md, change 87).
    // The rows per area and period made from them are kept in turn, for the write's two halves
    // (each country's latest periods apart; change 93), and the stocks let go once they are.
    Dataset<Row> stocks =
        TrackingIndicators.stocks(conformed, wanted, settings)
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> enriched;
    try {
      enriched =
          TrackingIndicators.enriched(stocks, previous, settings)
              .persist(StorageLevel.MEMORY_AND_DISK());
      enriched.count();
    } finally {
      stocks.unpersist();
    }
    long written;
    try {
      written =
          lh.overwriteInFileOrder(
              TrackingIndicators.fromEnriched(enriched, ctx.runId()),
              Tables.INDICATOR_VALUES,
              replace,
              declared);
    } finally {
      enriched.unpersist();
    }
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        read,
        written,
        0,
        lh.versions(List.of(Tables.TRACKING_COUNTS, Tables.INDICATOR_VALUES)),
        fingerprint,
        scope == null
            ? "all countries recomputed"
            : "countries " + scope.keySet() + " recomputed" + firstPeriods(scope));
  }

  private static String firstPeriods(Map<String, LocalDate> scope) {
    List<String> from = new ArrayList<>();
    scope.forEach(
        (country, l) -> from.add(country + (l == null ? " all" : " the periods of " + l)));
    return " (from: " + String.join(", ", from) + ")";
  }

  /**
   * The periods that can differ, as SQL over indicator_values: for a country with a latest
   * unchanged report L, the month, quarter and year that hold L and every later period; for a
   * country without one, all its periods. (Months start on or after L's month; the quarter and the
   * year that hold L start before it.) Over indicator_values ({@code country}) for the
   * replaceWhere, and over the reports' periods ({@code country_code}) for what is computed. Delta
   * still rewrites every file the predicate touches, copying the rows it keeps
   * (docs/performance.md, change 35).
   */
  static String changedPeriodsSql(Map<String, LocalDate> scope, String countryColumn) {
    List<String> terms = new ArrayList<>();
    for (Map.Entry<String, LocalDate> e : scope.entrySet()) {
      String country = countryColumn + " = " + Sql.literal(e.getKey());
      LocalDate l = e.getValue();
      if (l == null) {
        terms.add("(" + country + ")");
        continue;
      }
      terms.add("(" + country + " AND " + Sql.periodsFrom(l) + ")");
    }
    return String.join(" OR ", terms);
  }

  /**
   * What to recompute since the version the last run used: for each country whose conformed rows
   * changed, the first period start from which its indicators can differ (null: the whole country);
   * null for everything (first run, changed settings, forced, or a history too old to read).
   *
   * <p>A period's figures depend on the reports in it, the previous period's (changes) and the
   * country's latest report date (staleness, through min(period end, latest report)). Let L be the
   * latest report before the earliest changed one: it is in both versions, so both latest dates are
   * at least L, and a period ending by L is unchanged. The periods that can differ are therefore
   * those holding L and those after it ({@link #changedPeriodsSql}); their figures are recomputed
   * from the reports of L's year on. Returns L per changed country (null: no such report, the whole
   * country).
   */
  private static Map<String, LocalDate> changedScope(
      Lakehouse lh, String last, String settingsHash, long version, boolean force) {
    List<Row> changed = changedCountries(lh, last, settingsHash, version, force);
    if (changed == null) {
      return null;
    }
    Map<String, LocalDate> scope = new TreeMap<>();
    if (changed.isEmpty()) {
      return scope;
    }
    Column before = lit(null).cast(DataTypes.DateType);
    for (Row r : changed) {
      scope.put(r.getString(0), null);
      before =
          when(
                  col("country_code")
                      .equalTo(r.getString(0))
                      .and(col("reporting_date").lt(lit(r.getDate(1)))),
                  col("reporting_date"))
              .otherwise(before);
    }
    for (Row r :
        lh.read(Tables.TRACKING_COUNTS)
            .where(col("country_code").isin(scope.keySet().toArray()))
            .groupBy("country_code")
            .agg(max(before).as("latest_before"))
            .where(col("latest_before").isNotNull())
            .collectAsList()) {
      scope.put(r.getString(0), r.getDate(1).toLocalDate());
    }
    return scope;
  }

  /**
   * The countries whose conformed rows changed since the version the last run used, each with its
   * earliest changed report date (before or after the change), or null for all (first run, changed
   * settings, forced, or a history too old to read).
   */
  private static List<Row> changedCountries(
      Lakehouse lh, String last, String settingsHash, long version, boolean force) {
    return ChangeFeed.since(
        lh,
        Tables.TRACKING_COUNTS,
        last,
        settingsHash,
        version,
        force,
        changes -> changes.groupBy("country_code").agg(min(col("reporting_date"))));
  }
}
