package org.idsolutions.pipeline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.ConfigLoader;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.SparkSessions;
import org.idsolutions.pipeline.ops.RunIds;
import org.idsolutions.pipeline.stage.Backfill;
import org.idsolutions.pipeline.stage.StageContext;

/** What a command works with: the resolved config, the SparkSession and the lakehouse. */
final class Session {
  final PipelineConfig config;
  final SparkSession spark;
  final Lakehouse lakehouse;

  private Session(PipelineConfig config) {
    this.config = config;
    this.spark = SparkSessions.create(config.spark(), config.lakehouse().root());
    this.spark.sparkContext().setLogLevel("WARN");
    this.lakehouse = new Lakehouse(spark, config.lakehouse().root());
  }

  /** Resolves config (CLI over environment over file over defaults) before any Spark work. */
  static PipelineConfig config(PipelineCli root, Map<String, String> extra) {
    Map<String, String> overrides = new LinkedHashMap<>(root.sets);
    overrides.putAll(extra);
    if (root.lakehouse != null) {
      overrides.put("lakehouse.root", root.lakehouse);
    }
    Path file = root.conf;
    if (file == null && Files.isRegularFile(PipelineCli.DEFAULT_CONF)) {
      file = PipelineCli.DEFAULT_CONF;
    }
    return ConfigLoader.load(file, System.getenv(), overrides);
  }

  static Session open(PipelineConfig config) {
    return new Session(config);
  }

  StageContext context(String command, boolean force) {
    return context(command, force, null);
  }

  /**
   * A context with a backfill window; the command recorded in the run log names the window ({@code
   * run --from 2025-01-01}).
   */
  StageContext context(String command, boolean force, Backfill backfill) {
    return new StageContext(
        config,
        lakehouse,
        RunIds.next(),
        backfill == null ? command : command + " " + backfill,
        force,
        backfill);
  }
}
