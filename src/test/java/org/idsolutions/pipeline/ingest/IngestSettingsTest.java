package org.idsolutions.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idsolutions.pipeline.ingest.TrackingAppendOrMergeTest.counts;
import static org.idsolutions.pipeline.ingest.TrackingAppendOrMergeTest.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.config.ConfigLoader;
import org.idsolutions.pipeline.config.PipelineConfig;
import org.idsolutions.pipeline.config.SurveyConfigs;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file is loaded again when the settings its rows were conformed with changed (the family's
 * config keys and the content of its reference files), without --force, and only then: the load
 * ledger keeps each load's settings hash.
 */
class IngestSettingsTest {
  private static final String AGAIN = "again: the ingest settings changed";

  @TempDir Path work;

  /**
   * `ingest <family>` with the test config and these `--set` values, and no quality gate (the
   * changed settings refuse rows); checks that it succeeded.
   */
  private Cli ingest(String family, Path input, String... sets) {
    List<String> args = new ArrayList<>(List.of("--conf", "src/test/resources/test.yaml"));
    args.addAll(List.of("--set", "quality.max-reject-share=1"));
    args.addAll(List.of("--lakehouse", work.resolve("lakehouse").toString()));
    for (String set : sets) {
      args.addAll(List.of("--set", set));
    }
    args.addAll(List.of("ingest", family));
    if (input != null) {
      args.addAll(List.of("--input", input.toString()));
    }
    Cli cli = Cli.run(args.toArray(new String[0]));
    assertThat(cli.exitCode).as(cli.err).isZero();
    return cli;
  }

  private Lakehouse lakehouse() {
    return new Lakehouse(SparkTestSession.get(), work.resolve("lakehouse").toString());
  }

  @Test
  void aTrackingFileLoadsAgainWhenAnIngestSettingOrTheAdminUnitsChange() throws IOException {
    Path file = work.resolve("january.csv");
    write(file, "1,NE,NGA,NG008,NG008021,2,100,2024-01-15,1");
    ingest("tracking", file);
    Lakehouse lh = lakehouse();
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 100");
    assertThat(ingest("tracking", file).out).contains("already loaded");

    // a later earliest report date: the file loads again and its row is refused
    String later = "tracking.min-report-date=2024-06-01";
    assertThat(ingest("tracking", file, later).out).contains("1 file(s) loaded (1 " + AGAIN + ")");
    assertThat(counts(lh)).isEmpty();
    assertThat(lh.read(Tables.QUARANTINE).where("family = 'tracking'").count()).isEqualTo(1);
    // back to the default: its latest load had the other date, so it loads again
    assertThat(ingest("tracking", file).out).contains(AGAIN);
    assertThat(counts(lh)).containsExactly("NG008021 2024-01-15 100");

    // the admin units count by content, not by where they are
    Path units = work.resolve("admin-units.csv");
    Files.copy(Path.of("data-samples/reference/admin-units.csv"), units);
    String moved = "inputs.admin-units=" + units;
    assertThat(ingest("tracking", file, moved).out).contains("already loaded");
    List<String> lines = new ArrayList<>(Files.readAllLines(units));
    assertThat(lines.removeIf(l -> l.contains(",NG008021,"))).isTrue();
    Files.write(units, lines);
    assertThat(ingest("tracking", file, moved).out).contains(AGAIN);
    assertThat(counts(lh)).isEmpty();
    Row rejected =
        lh.read(Tables.QUARANTINE).where("family = 'tracking'").select("message").first();
    assertThat(rejected.getString(0)).contains("NG008021");
  }

  @Test
  void aChangedManifestLoadsItsSurveyAgainAndAChangedAnswerSettingChangesEvery()
      throws IOException {
    Path manifests = Files.createDirectories(work.resolve("surveys"));
    for (String id : List.of("nga-msna-2024", "nga-msna-2025")) {
      Files.copy(Path.of("conf/surveys/" + id + ".yaml"), manifests.resolve(id + ".yaml"));
    }
    String surveys = "inputs.surveys=" + manifests;
    assertThat(ingest("surveys", null, surveys).out).contains("2 survey(s) loaded");
    assertThat(ingest("surveys", null, surveys).out).contains("2 survey(s) already loaded");

    // the 2024 export moved: the same content, the same meaning, nothing to load
    Path export = work.resolve("nga-msna-2024.csv");
    Files.copy(Path.of("data-samples/surveys/nga-msna-2024.csv"), export);
    Path manifest2024 = manifests.resolve("nga-msna-2024.yaml");
    replace(manifest2024, "input: data-samples/surveys/nga-msna-2024.csv", "input: " + export);
    assertThat(ingest("surveys", null, surveys).out).contains("2 survey(s) already loaded");

    // the 2024 round's dates narrowed: that survey alone loads again, and loses households
    Lakehouse lh = lakehouse();
    long before2024 = households(lh, "nga-msna-2024");
    long before2025 = households(lh, "nga-msna-2025");
    replace(manifest2024, "end: \"2024-10-31\"", "end: \"2024-09-15\"");
    assertThat(ingest("surveys", null, surveys).out).contains("1 survey(s) loaded (1 " + AGAIN);
    assertThat(households(lh, "nga-msna-2024")).isPositive().isLessThan(before2024);
    assertThat(households(lh, "nga-msna-2025")).isEqualTo(before2025);

    // another yes value changes every survey's settings (checked without loading them again)
    PipelineConfig config =
        ConfigLoader.load(Path.of("src/test/resources/test.yaml"), Map.of(), Map.of());
    PipelineConfig oui =
        ConfigLoader.load(
            Path.of("src/test/resources/test.yaml"),
            Map.of(),
            Map.of("surveys.yes-values", "yes,oui"));
    Configuration hadoop = SparkTestSession.get().sparkContext().hadoopConfiguration();
    for (SurveyManifest m : SurveyConfigs.manifests(manifests.toString())) {
      assertThat(IngestSettings.surveys(hadoop, oui).apply(m))
          .isNotEqualTo(IngestSettings.surveys(hadoop, config).apply(m));
    }
  }

  @Test
  void programmeFilesLoadAgainWhenAnExchangeRateChanges() throws IOException {
    Path programmes = Path.of("data-samples/programmes/iati-activities.xml");
    ingest("programmes", programmes);
    Lakehouse lh = lakehouse();
    double before = amountUsd(lh);
    assertThat(ingest("programmes", programmes).out).contains("already loaded");

    Path rates = work.resolve("fx-rates.csv");
    Files.copy(Path.of("conf/fx-rates.csv"), rates);
    String fx = "inputs.fx-rates=" + rates;
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(rates)) {
      lines.add(l.startsWith("2025,EUR,") || l.startsWith("2024,EUR,") ? l + "5" : l);
    }
    Files.write(rates, lines);
    String out = ingest("programmes", programmes, fx).out;
    assertThat(out).contains(AGAIN);
    assertThat(amountUsd(lh)).isNotEqualTo(before);
  }

  private static void replace(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    Files.writeString(file, text.replace(from, to));
  }

  private static long households(Lakehouse lh, String surveyId) {
    return lh.read(Tables.SURVEY_HOUSEHOLDS).where("survey_id = '" + surveyId + "'").count();
  }

  private static double amountUsd(Lakehouse lh) {
    return lh.read(Tables.PROGRAMME_FINANCE)
        .agg(org.apache.spark.sql.functions.sum("amount_usd"))
        .first()
        .getDouble(0);
  }
}
