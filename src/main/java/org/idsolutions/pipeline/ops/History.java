package org.idsolutions.pipeline.ops;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.idsolutions.pipeline.stage.StageResult;

/**
 * What ran and what it changed ({@code history}): the runs of ops.pipeline_runs, the stages of one
 * run, and a table's Delta commits with the run and stage that made each.
 */
public final class History {
  private History() {}

  /** One row per run, newest first: its command, time, stages by status and rows. */
  public static Dataset<Row> runs(Dataset<Row> runLog) {
    Column failed = col("status").equalTo(StageResult.FAILED);
    return runLog
        .groupBy("run_id")
        .agg(
            first("command").as("command"),
            min("started_at").as("started_at"),
            max("ended_at").as("ended_at"),
            count(lit(1)).as("stages"),
            countWhere(col("status").equalTo(StageResult.SUCCEEDED)).as("succeeded"),
            countWhere(col("status").equalTo(StageResult.SKIPPED)).as("skipped"),
            countWhere(failed).as("failed"),
            sum("rows_in").as("rows_in"),
            sum("rows_written").as("rows_written"),
            sum("rows_quarantined").as("rows_quarantined"),
            concat_ws(
                    "; ",
                    collect_list(
                        when(
                            failed,
                            concat(
                                col("stage"),
                                lit(": "),
                                coalesce(col("message"), lit("(no message)"))))))
                .as("errors"))
        .withColumn("seconds", seconds(col("started_at"), col("ended_at")))
        .withColumn("started_at", utc(col("started_at")))
        .select(
            "run_id",
            "command",
            "started_at",
            "seconds",
            "stages",
            "succeeded",
            "skipped",
            "failed",
            "rows_in",
            "rows_written",
            "rows_quarantined",
            "errors")
        .orderBy(col("started_at").desc(), col("run_id").desc());
  }

  /** The stages of one run, in the order they ran. */
  public static Dataset<Row> stages(Dataset<Row> runLog, String runId) {
    return runLog
        .where(col("run_id").equalTo(runId))
        .withColumn("seconds", seconds(col("started_at"), col("ended_at")))
        .orderBy(col("started_at"), col("ended_at"), col("stage"))
        .withColumn("started_at", utc(col("started_at")))
        .select(
            "stage",
            "status",
            "started_at",
            "seconds",
            "rows_in",
            "rows_written",
            "rows_quarantined",
            "table_versions",
            "message");
  }

  /**
   * A table's commits, newest first, each with the run and stage whose time it falls in: a stage
   * commits between its start and its end, and stages run one after another. Commits outside every
   * stage (the run log's own, or a command that keeps no log) have none; where two commands ran at
   * once, the stage that started last is named. Delta's commit time comes from the storage's clock,
   * so on object storage whose clock differs from the driver's a short stage's commits may match
   * none.
   *
   * @param commits the table's Delta history ({@code DeltaTable.history()})
   */
  public static Dataset<Row> commits(Dataset<Row> commits, Dataset<Row> runLog) {
    Column metrics = col("operationMetrics");
    Column parameters = col("operationParameters");
    Dataset<Row> c =
        commits.select(
            col("version"),
            col("timestamp"),
            col("operation"),
            coalesce(parameters.getItem("predicate"), parameters.getItem("mode")).as("mode"),
            coalesce(metrics.getItem("numOutputRows"), metrics.getItem("numTargetRowsInserted"))
                .cast("long")
                .as("rows_written"),
            coalesce(metrics.getItem("numDeletedRows"), metrics.getItem("numTargetRowsDeleted"))
                .cast("long")
                .as("rows_deleted"),
            coalesce(metrics.getItem("numFiles"), metrics.getItem("numAddedFiles"))
                .cast("long")
                .as("files_added"));
    Dataset<Row> r = runLog.select("run_id", "stage", "started_at", "ended_at");
    // one stage per version even where two commands ran at once: the one that started last
    WindowSpec latestStage =
        Window.partitionBy(c.col("version")).orderBy(r.col("started_at").desc_nulls_last());
    return c.join(
            r,
            c.col("timestamp")
                .geq(r.col("started_at"))
                .and(c.col("timestamp").leq(r.col("ended_at"))),
            "left")
        .withColumn("match", row_number().over(latestStage))
        .where(col("match").equalTo(1))
        .select(
            c.col("version"),
            utc(c.col("timestamp")).as("timestamp"),
            c.col("operation"),
            c.col("mode"),
            c.col("rows_written"),
            c.col("rows_deleted"),
            c.col("files_added"),
            r.col("run_id"),
            r.col("stage"))
        .orderBy(col("version").desc());
  }

  private static Column countWhere(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** A timestamp as text in the session's time zone (UTC by default), to the millisecond. */
  private static Column utc(Column timestamp) {
    return date_format(timestamp, "yyyy-MM-dd HH:mm:ss.SSS");
  }

  private static Column seconds(Column start, Column end) {
    return round(unix_micros(end).minus(unix_micros(start)).divide(1e6), 1);
  }
}
