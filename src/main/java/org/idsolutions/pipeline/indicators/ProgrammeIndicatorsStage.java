package org.idsolutions.pipeline.indicators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.idsolutions.pipeline.indicators.programme.ProgrammeIndicators;
import org.idsolutions.pipeline.lakehouse.ChangeFeed;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.PeriodsChanged;
import org.idsolutions.pipeline.lakehouse.TableSpec;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.ops.LoadLedger;
import org.idsolutions.pipeline.ops.RunLog;
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.stage.Stage;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * Conformed programme tables -> indicators.indicator_values (source family programme). Skips when
 * unchanged; otherwise recomputes the cells the changed rows can reach (in their countries, the
 * months, quarters and years that hold the days they cover, read from Delta's change data feed) and
 * replaces those, or everything on a first or forced run. A backfill ({@link Backfill}) also
 * recomputes every country's periods in its window.
 */
public final class ProgrammeIndicatorsStage implements Stage {
  public static final String NAME = "indicators-programmes";
  static final List<TableSpec> INPUTS = Tables.PROGRAMME_CONFORMED;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageResult run(StageContext ctx) {
    Lakehouse lh = ctx.lakehouse();
    if (!lh.exists(Tables.PROGRAMME_ACTIVITIES)) {
      return StageResult.skipped(
          NAME, null, "no conformed programme data yet: run ingest programmes");
    }
    Map<TableSpec, Long> versions = new LinkedHashMap<>();
    for (TableSpec t : INPUTS) {
      versions.put(t, lh.version(t));
    }
    String fingerprint = fingerprint(versions);
    String last = RunLog.lastFingerprint(lh, NAME);
    if (ctx.mayBeUpToDate() && fingerprint.equals(last)) {
      return StageResult.skipped(NAME, fingerprint, "up to date with " + fingerprint);
    }
    lh.ensure(Tables.INDICATOR_VALUES);
    Dataset<Row> activities = lh.read(Tables.PROGRAMME_ACTIVITIES);
    Dataset<Row> locations = lh.read(Tables.PROGRAMME_LOCATIONS);
    Dataset<Row> finance = lh.read(Tables.PROGRAMME_FINANCE);
    Dataset<Row> sectors = lh.read(Tables.PROGRAMME_SECTORS);
    Dataset<Row> reach = lh.read(Tables.PROGRAMME_REACH);
    // each activity counts in one version: that of the file whose content first loaded last (one
    // pass over the activity ids finds whether any has several; usually none does, and the
    // tables are read as they are)
    if (ProgrammeIndicators.hasVersions(activities)) {
      Dataset<Row> superseded = ProgrammeIndicators.superseded(activities, loadOrder(lh));
      activities = ProgrammeIndicators.kept(activities, superseded);
      locations = ProgrammeIndicators.kept(locations, superseded);
      finance = ProgrammeIndicators.kept(finance, superseded);
      sectors = ProgrammeIndicators.kept(sectors, superseded);
      reach = ProgrammeIndicators.kept(reach, superseded);
    }
    ProgrammeIndicators.Scope changed =
        ctx.force() ? null : changedScope(lh, previousVersions(last), versions);
    ProgrammeIndicators.Scope scope =
        changed == null || ctx.backfill() == null
            ? changed
            : withWindow(changed, locations, ctx.backfill());
    Dataset<Row> values;
    String replace = "source_family = 'programme'";
    PeriodsChanged declared = PeriodsChanged.all(PeriodsChanged.PERIOD_TYPES);
    String note;
    if (scope == null) {
      values =
          ProgrammeIndicators.compute(activities, locations, finance, sectors, reach, ctx.runId());
      note = "all programmes recomputed";
    } else if (scope.countries().isEmpty()) {
      return StageResult.skipped(NAME, fingerprint, "no programme row changed since the last run");
    } else {
      values =
          ProgrammeIndicators.compute(
              activities, locations, finance, sectors, reach, scope, ctx.runId());
      replace += " AND " + scope.sql();
      Map<String, LocalDate> from = new TreeMap<>();
      scope.countries().forEach(c -> from.put(c, scope.first()));
      declared = PeriodsChanged.from(from);
      boolean open =
          scope.first().equals(Backfill.EARLIEST) || scope.last().equals(Backfill.LATEST);
      note =
          "countries "
              + scope.countries()
              + " recomputed ("
              + (open
                  ? ""
                  : "years " + scope.first().getYear() + "-" + scope.last().getYear() + ", ")
              + "periods holding "
              + (scope.first().equals(Backfill.EARLIEST) ? "the first day" : scope.first())
              + " to "
              + (scope.last().equals(Backfill.LATEST) ? "the last day" : scope.last())
              + ")";
    }
    long written = lh.overwrite(values, Tables.INDICATOR_VALUES, replace, declared);
    return new StageResult(
        NAME,
        StageResult.SUCCEEDED,
        activities.count(),
        written,
        0,
        lh.versions(List.of(Tables.INDICATOR_VALUES)),
        fingerprint,
        note);
  }

  /**
   * The scope and a backfill's window together: every country with a location, from the earlier
   * first day to the later last day (a country whose rows changed has its whole range recomputed).
   * A row per country is collected.
   */
  static ProgrammeIndicators.Scope withWindow(
      ProgrammeIndicators.Scope scope, Dataset<Row> locations, Backfill window) {
    TreeSet<String> countries = new TreeSet<>(scope.countries());
    locations
        .select("country")
        .distinct()
        .collectAsList()
        .forEach(r -> countries.add(r.getString(0)));
    LocalDate first = window.first();
    LocalDate last = window.last();
    if (!scope.countries().isEmpty()) {
      first = scope.first().isBefore(first) ? scope.first() : first;
      last = scope.last().isAfter(last) ? scope.last() : last;
    }
    return new ProgrammeIndicators.Scope(countries, first, last);
  }

  /**
   * Each programme file's place in the load order: when it last loaded, from ops.load_files (a row
   * per file the ledger knows: as many as the family's input files).
   */
  static Dataset<Row> loadOrder(Lakehouse lh) {
    List<Row> rows = new ArrayList<>();
    LoadLedger.loaded(lh, "programme")
        .lastLoaded()
        .forEach((path, last) -> rows.add(RowFactory.create(path, last)));
    return lh.spark()
        .createDataFrame(
            rows,
            new StructType()
                .add("file_path", DataTypes.StringType)
                .add("last_loaded", DataTypes.LongType));
  }

  /**
   * {@code programmes@programme_activities=3,programme_locations=3,...}. (Before an activity in
   * several files counted once, the form was {@code programme@...}: a fingerprint in that form, or
   * an older one, recomputes everything, so values that counted every version are replaced.)
   */
  static String fingerprint(Map<TableSpec, Long> versions) {
    List<String> parts = new ArrayList<>();
    versions.forEach((t, v) -> parts.add(t.name() + "=" + v));
    return "programmes@" + String.join(",", parts);
  }

  /** The input versions a last fingerprint names, or null when it names none or other tables. */
  static Map<String, Long> previousVersions(String last) {
    if (last == null || !last.startsWith("programmes@")) {
      return null;
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String part : last.substring("programmes@".length()).split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        return null;
      }
      try {
        out.put(kv[0], Long.parseLong(kv[1]));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }

  /**
   * A programme table's rows as the activity, its file, and the country and first and last day each
   * can reach.
   */
  private static Dataset<Row> scopeRows(Dataset<Row> rows, TableSpec t) {
    Column noDate = lit(null).cast(DataTypes.DateType);
    Column[] dates =
        switch (t.name()) {
          case "programme_activities" -> new Column[] {col("start_date"), col("end_date")};
          case "programme_finance" -> new Column[] {col("period_start"), col("period_end")};
          case "programme_reach" -> new Column[] {col("reach_date"), col("reach_date")};
          default -> new Column[] {noDate, noDate};
        };
    return rows.select(
        col("activity_id"),
        col("source_file"),
        col("country"),
        dates[0].as("d0"),
        dates[1].as("d1"));
  }

  /**
   * The countries and dates the inputs' changes since the previous versions reach: every country in
   * a changed row of activities, locations, budget lines, transactions or reach, before or after
   * the change, and the first and last day those rows cover. Sectors carry neither; the ingest
   * replaces all five tables by source file together, so an activity whose sectors changed has its
   * other rows in the change feed too. The rows of every version of a changed activity (read from
   * the tables as they are) count as changed too: a new version can supersede an older one in other
   * countries and dates ({@link ProgrammeIndicators#superseded}). Null when everything must be
   * recomputed (no previous versions, or a feed that cannot be read); no countries when nothing
   * changed.
   */
  private static ProgrammeIndicators.Scope changedScope(
      Lakehouse lh, Map<String, Long> previous, Map<TableSpec, Long> versions) {
    if (previous == null) {
      return null;
    }
    Dataset<Row> changes = null;
    for (Map.Entry<TableSpec, Long> e : versions.entrySet()) {
      TableSpec t = e.getKey();
      Long before = previous.get(t.name());
      if (before == null || before > e.getValue()) {
        return null;
      }
      if (before.equals(e.getValue()) || t.equals(Tables.PROGRAMME_SECTORS)) {
        continue;
      }
      Dataset<Row> rows;
      try {
        rows = scopeRows(ChangeFeed.between(lh, t, before, e.getValue()), t);
      } catch (RuntimeException ex) { // no feed for the range (an older table): recompute all
        return null;
      }
      changes = changes == null ? rows : changes.unionByName(rows);
    }
    if (changes == null) {
      return new ProgrammeIndicators.Scope(new TreeSet<>(), null, null);
    }
    // a change to one version of an activity can change which of its versions counts
    // (ProgrammeIndicators.superseded): the rows of its versions in other files reach the scope
    // too. One pass over the activity ids finds whether a changed activity has any (usually not)
    Dataset<Row> changedFiles =
        changes.select(col("activity_id").as("c_id"), col("source_file").as("c_file")).distinct();
    Dataset<Row> elsewhere =
        lh.read(Tables.PROGRAMME_ACTIVITIES)
            .select(col("activity_id").as("e_id"), col("source_file").as("e_file"))
            .join(changedFiles, col("e_id").equalTo(col("c_id")), "left_semi")
            .join(
                changedFiles,
                col("e_id").equalTo(col("c_id")).and(col("e_file").equalTo(col("c_file"))),
                "left_anti")
            .select(col("e_id"))
            .distinct();
    boolean versioned;
    try {
      versioned = !elsewhere.isEmpty();
    } catch (RuntimeException e) { // the feed was not recorded for the range: recompute all
      return null;
    }
    if (versioned) {
      for (TableSpec t : versions.keySet()) {
        if (!t.equals(Tables.PROGRAMME_SECTORS)) {
          changes =
              changes.unionByName(
                  scopeRows(lh.read(t), t)
                      .join(elsewhere, col("activity_id").equalTo(col("e_id")), "left_semi"));
        }
      }
    }
    Row summary;
    try {
      summary =
          changes
              .agg(collect_set(col("country")), min(col("d0")), max(col("d1")))
              .collectAsList()
              .get(0);
    } catch (RuntimeException e) { // the feed was not recorded for the range: recompute all
      return null;
    }
    TreeSet<String> countries = new TreeSet<>(summary.<String>getList(0));
    if (countries.isEmpty()) {
      return new ProgrammeIndicators.Scope(countries, null, null);
    }
    if (summary.isNullAt(1)) { // only locations changed: their activities' dates are unknown
      return null;
    }
    return new ProgrammeIndicators.Scope(
        countries, summary.getDate(1).toLocalDate(), summary.getDate(2).toLocalDate());
  }
}
