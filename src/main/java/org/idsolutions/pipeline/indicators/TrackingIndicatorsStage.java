package org.idsolutions.pipeline.indicators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.min;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * conformed.tracking_counts -> indicators.indicator_values (source family tracking). Skips when
 * neither the conformed table nor the tracking settings changed since the last run; otherwise
 * recomputes only the countries whose conformed rows changed (read from Delta's change data feed),
 * from the first period their change can reach, and replaces those rows. A backfill ({@link
 * Backfill}) also recomputes every country's periods in its window, and applies changed settings
 * there only.
 */
public final class TrackingIndicatorsStage implements Stage {
  public static final String NAME = "indicators-tracking";

  /**
   * Changes of method that change published values, part of the settings hash, so that the first
   * run after an upgrade recomputes every country: admin 1 reports per unit and round (fortieth
   * session).
   */
  static final String METHOD = ";method=admin1-per-round";

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
    String settingsHash = Fingerprints.sha256(settings + METHOD).substring(0, 12);
    String fingerprint = "tracking_counts@" + version + ";settings=" + settingsHash;
    String last = RunLog.lastFingerprint(lh, NAME);
    if (ctx.mayBeUpToDate() && fingerprint.equals(last)) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    Backfill window = ctx.backfill();
    // a backfill applies changed settings to its window only: the change feed is read whatever
    // settings the last run had
    Reach reach =
        changedScope(lh, last, window == null ? settingsHash : null, version, ctx.force(), window);
    Map<String, LocalDate> scope = reach == null ? null : reach.from();
    if (scope != null && scope.isEmpty()) {
      return StageResult.skipped(NAME, fingerprint, "no country changed since the last run");
    }
    Dataset<Row> conformed = lh.read(Tables.TRACKING_COUNTS);
    if (scope != null) {
      // reports from the year of each country's latest unchanged report on (the year that holds
      // it is recomputed, from all its reports), and the rounds reaching into that year whole
      conformed = conformed.where(TrackingConform.reportsFrom(reach.readFrom()));
    }
    // The units' stocks read the reports twice (the units' day sums, the admin 1 names): they are
    // read from the table once, by the count, and kept until the write is done
    // (docs/performance.md, changes 49 and 87).
    conformed = conformed.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long read = conformed.count();
      return write(ctx, lh, conformed, reach, read, fingerprint, settings);
    } finally {
      conformed.unpersist();
    }
  }

  private StageResult write(
      StageContext ctx,
      Lakehouse lh,
      Dataset<Row> conformed,
      Reach reach,
      long read,
      String fingerprint,
      TrackingSettings settings) {
    String replace = "source_family = 'tracking'";
    PeriodsChanged declared = PeriodsChanged.all(PeriodsChanged.PERIOD_TYPES);
    Dataset<Row> previous = null;
    Column wanted = null;
    String kept = null;
    Map<String, LocalDate> scope = reach == null ? null : reach.from();
    if (reach != null) {
      Map<String, LocalDate> from = new TreeMap<>(scope);
      from.values().removeIf(Objects::isNull);
      previous =
          from.isEmpty()
              ? null
              : TrackingIndicators.previousStocks(lh.read(Tables.INDICATOR_VALUES), from);
      // of the reports' periods, only those that can differ are computed and written (the
      // year's earlier months and quarters are left as stored; their stocks before the first
      // recomputed ones come from the table)
      // a backfill's end bounds what is written, not what is computed: staleness compares each
      // period with the country's latest report, which only the periods to the end hold
      wanted = expr(changedPeriodsSql(scope, "country_code"));
      String written = changedPeriodsSql(scope, reach.until(), "country");
      replace += " AND (" + written + ")";
      kept = reach.until().isEmpty() ? null : written;
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
      Dataset<Row> rows = TrackingIndicators.fromEnriched(enriched, ctx.runId());
      written =
          lh.overwriteInFileOrder(
              kept == null ? rows : rows.where(kept), Tables.INDICATOR_VALUES, replace, declared);
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
            : "countries " + scope.keySet() + " recomputed" + firstPeriods(reach));
  }

  private static String firstPeriods(Reach reach) {
    List<String> from = new ArrayList<>();
    reach
        .from()
        .forEach(
            (country, l) -> {
              LocalDate until = reach.until().get(country);
              from.add(
                  country
                      + (l == null ? " all" : " the periods of " + l)
                      + (until == null ? "" : " to " + until));
            });
    return " (from: " + String.join(", ", from) + ")";
  }

  /**
   * What to recompute: per country, the latest unchanged report L (null: the whole country), the
   * first day of the rows that recomputation reads (null: all; {@link #reach}), and, for the
   * countries only a backfill's window reaches, the window's last day (periods starting after it
   * are kept).
   */
  record Reach(
      Map<String, LocalDate> from, Map<String, LocalDate> readFrom, Map<String, LocalDate> until) {}

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
    return changedPeriodsSql(scope, Map.of(), countryColumn);
  }

  /**
   * {@link #changedPeriodsSql(Map, String)}, with the periods of the countries in {@code until}
   * bounded to those starting by their day.
   */
  static String changedPeriodsSql(
      Map<String, LocalDate> scope, Map<String, LocalDate> until, String countryColumn) {
    List<String> terms = new ArrayList<>();
    for (Map.Entry<String, LocalDate> e : scope.entrySet()) {
      String term = countryColumn + " = " + Sql.literal(e.getKey());
      LocalDate l = e.getValue();
      if (l != null) {
        term += " AND " + Sql.periodsFrom(l);
      }
      LocalDate last = until.get(e.getKey());
      if (last != null) {
        term += " AND period_start <= DATE'" + last + "'";
      }
      terms.add("(" + term + ")");
    }
    return String.join(" OR ", terms);
  }

  /**
   * What to recompute since the version the last run used: for each country whose conformed rows
   * changed, L, the latest report of the periods from which its indicators can differ (null: the
   * whole country), and the first day of the rows those periods are made of; null for everything
   * (first run, changed settings, forced, or a history too old to read). A backfill's window adds
   * every country, from its first day: up to its last day for a country whose rows did not change,
   * to the end for one whose rows did (whose changes can reach every later period).
   *
   * <p>A period's figures depend on the reports in it, the previous period's (changes) and the
   * country's latest report date (staleness, through min(period end, latest report)). A changed row
   * reaches the reports of its day and its round's admin 1 reports, which the round's days sum and
   * date ({@link TrackingIndicators}). Let L be the latest report before the earliest day a change
   * reaches: it is in both versions, so both latest dates are at least L, and a period ending by L
   * is unchanged. The periods that can differ are therefore those holding L and those after it
   * ({@link #changedPeriodsSql}); their figures are recomputed from the reports of L's year on, and
   * the rounds reaching into that year whole. Returns L per changed country (null: no such report,
   * the whole country). A window's first day counts as a changed report: its periods are recomputed
   * from the latest report before it, which gives the first of them their latest report date.
   */
  private static Reach changedScope(
      Lakehouse lh,
      String last,
      String settingsHash,
      long version,
      boolean force,
      Backfill window) {
    List<Row> changed = changedRounds(lh, last, settingsHash, version, force);
    if (changed == null) {
      return null;
    }
    if (changed.isEmpty() && window == null) {
      return new Reach(Map.of(), Map.of(), Map.of());
    }
    Dataset<Row> counts = lh.readAt(Tables.TRACKING_COUNTS, version);
    if (window == null) {
      counts =
          counts.where(
              col("country_code")
                  .isin(changed.stream().map(r -> r.getString(0)).distinct().toArray()));
    }
    // a row per round and day of the countries in scope (every country when there is a window):
    // a few per round, not per unit
    List<Row> days = counts.select(roundDay()).distinct().collectAsList();
    return reach(changed, days, window);
  }

  /** The columns of a round and day: country, operation, assessment type, round and date. */
  private static Column[] roundDay() {
    return new Column[] {
      col("country_code"),
      col("operation"),
      col("assessment_type"),
      col("round_number"),
      col("reporting_date")
    };
  }

  /**
   * What to recompute ({@link #changedScope}), from the changed rounds (country, operation,
   * assessment type, round, the earliest day of their changed rows) and every round and day of the
   * countries in scope, both in {@link #roundDay} order. Per country: F, the first day its changes
   * reach (their own days and their rounds' first days), or the window's first day when earlier or
   * when only the window reaches the country; L, its latest report day before F (null: none, the
   * whole country); and the first day of the rows to read: L's year's first day, or the first day
   * of a round reaching into that year from before it, whichever is earlier.
   */
  static Reach reach(List<Row> changed, List<Row> days, Backfill window) {
    Map<List<Object>, LocalDate[]> rounds = new HashMap<>();
    Map<String, TreeSet<LocalDate>> countryDays = new TreeMap<>();
    for (Row r : days) {
      LocalDate day = r.getDate(4).toLocalDate();
      rounds.merge(
          round(r),
          new LocalDate[] {day, day},
          (a, b) -> new LocalDate[] {earlier(a[0], b[0]), later(a[1], b[1])});
      countryDays.computeIfAbsent(r.getString(0), c -> new TreeSet<>()).add(day);
    }
    Map<String, LocalDate> first = new TreeMap<>();
    for (Row r : changed) {
      LocalDate day = r.getDate(4).toLocalDate();
      LocalDate[] extent = rounds.get(round(r));
      if (extent != null) {
        day = earlier(day, extent[0]);
      }
      first.merge(r.getString(0), day, TrackingIndicatorsStage::earlier);
    }
    Set<String> changedCountries = new TreeSet<>(first.keySet());
    Set<String> countries = new TreeSet<>(changedCountries);
    if (window != null) {
      countries.addAll(countryDays.keySet());
    }
    Map<String, LocalDate> scope = new TreeMap<>();
    Map<String, LocalDate> readFrom = new TreeMap<>();
    Map<String, LocalDate> until = new TreeMap<>();
    for (String country : countries) {
      LocalDate f = first.get(country);
      if (window != null) {
        f = window.from() == null ? null : f == null ? window.from() : earlier(f, window.from());
        if (window.to() != null && !changedCountries.contains(country)) {
          until.put(country, window.to());
        }
      }
      TreeSet<LocalDate> reported = countryDays.get(country);
      // a country whose rows all went keeps no period
      LocalDate l = f == null || reported == null ? null : reported.lower(f);
      scope.put(country, l);
      readFrom.put(country, l == null ? null : readFrom(rounds, country, l.withDayOfYear(1)));
    }
    return new Reach(scope, readFrom, until);
  }

  /** The earlier of {@code yearStart} and the first day of the country's rounds reaching it. */
  private static LocalDate readFrom(
      Map<List<Object>, LocalDate[]> rounds, String country, LocalDate yearStart) {
    LocalDate from = yearStart;
    for (Map.Entry<List<Object>, LocalDate[]> e : rounds.entrySet()) {
      LocalDate[] extent = e.getValue();
      if (country.equals(e.getKey().get(0)) && !extent[1].isBefore(yearStart)) {
        from = earlier(from, extent[0]);
      }
    }
    return from;
  }

  /** A row's round: country, operation, assessment type and round (any may be null). */
  private static List<Object> round(Row r) {
    return Arrays.asList(r.get(0), r.get(1), r.get(2), r.get(3));
  }

  private static LocalDate later(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  private static LocalDate earlier(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * The rounds whose conformed rows changed since the version the last run used, in {@link
   * #roundDay} order with the earliest day of their changed rows (before or after the change), or
   * null for all (first run, changed settings, forced, or a history too old to read). A round whose
   * rows all went is among them.
   */
  private static List<Row> changedRounds(
      Lakehouse lh, String last, String settingsHash, long version, boolean force) {
    Column[] key = Arrays.copyOf(roundDay(), 4);
    return ChangeFeed.since(
        lh,
        Tables.TRACKING_COUNTS,
        last,
        settingsHash,
        version,
        force,
        changes -> changes.groupBy(key).agg(min(col("reporting_date"))));
  }
}
