package org.idsolutions.pipeline.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.stage.StageContext;
import org.idsolutions.pipeline.stage.StageResult;

/** ops.pipeline_runs: the append-only run log. */
public final class RunLog {
  private RunLog() {}

  public static void append(StageContext ctx, StageResult r, Instant start, Instant end) {
    Lakehouse lh = ctx.lakehouse();
    lh.ensure(Tables.PIPELINE_RUNS);
    Row row =
        RowFactory.create(
            ctx.runId(),
            ctx.command(),
            r.stage(),
            Timestamp.from(start),
            Timestamp.from(end),
            r.status(),
            r.rowsIn(),
            r.rowsWritten(),
            r.rowsQuarantined(),
            scala.jdk.javaapi.CollectionConverters.asScala(r.tableVersions()),
            r.fingerprint(),
            r.message());
    Dataset<Row> df = ctx.spark().createDataFrame(List.of(row), Tables.PIPELINE_RUNS.schema());
    df.write().format("delta").mode("append").save(lh.path(Tables.PIPELINE_RUNS));
  }

  /**
   * The fingerprint of the latest succeeded run of a stage, or null: a stage whose inputs and
   * settings have not changed since may skip.
   */
  public static String lastFingerprint(Lakehouse lh, String stage) {
    if (!lh.exists(Tables.PIPELINE_RUNS)) {
      return null;
    }
    List<Row> rows =
        lh.read(Tables.PIPELINE_RUNS)
            .where(
                functions
                    .col("stage")
                    .equalTo(stage)
                    .and(functions.col("status").isin(StageResult.SUCCEEDED, StageResult.SKIPPED))
                    .and(functions.col("input_fingerprint").isNotNull()))
            .orderBy(functions.col("ended_at").desc())
            .select("input_fingerprint")
            .limit(1)
            .collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }
}
