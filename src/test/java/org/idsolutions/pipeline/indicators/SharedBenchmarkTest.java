package org.idsolutions.pipeline.indicators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.idsolutions.pipeline.lakehouse.Lakehouse;
import org.idsolutions.pipeline.lakehouse.Tables;
import org.idsolutions.pipeline.support.Cli;
import org.idsolutions.pipeline.support.SameRows;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composite benchmark is the comparator households' of the same country and round (DESIGN 5),
 * whichever survey they are in: the samples' 2024 round split into an IDP survey and a host
 * community survey gives the IDPs the estimates of the whole round, and a change to the host survey
 * alone recomputes the IDP survey too.
 */
class SharedBenchmarkTest {
  @TempDir Path work;

  private Cli cli(String... command) {
    Cli cli =
        Cli.run(
            Cli.testConfig(
                work.resolve("lakehouse"),
                Map.of("inputs.surveys", work.resolve("surveys")),
                command));
    assertThat(cli.exitCode).as(cli.err).isZero();
    return cli;
  }

  /** The export's header and the rows whose displacement status is one of the groups. */
  private static void split(Path out, List<String> statuses) throws IOException {
    List<String> lines =
        Files.readAllLines(
            Path.of("data-samples/surveys/nga-msna-2024.csv"), StandardCharsets.UTF_8);
    List<String> header = Arrays.asList(lines.get(0).split(";"));
    int status = header.indexOf("\"grp_hh/displacement_status\"");
    assertThat(status).isNotNegative();
    List<String> kept = new ArrayList<>(List.of(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(";", -1);
      if (statuses.contains(cells[status].replace("\"", ""))) {
        kept.add(line);
      }
    }
    Files.write(out, kept, StandardCharsets.UTF_8);
  }

  private void manifest(String id, Path export) throws IOException {
    String text = Files.readString(Path.of("conf/surveys/nga-msna-2024.yaml"));
    Files.writeString(
        work.resolve("surveys").resolve(id + ".yaml"),
        text.replace("survey-id: nga-msna-2024", "survey-id: " + id)
            .replace("input: data-samples/surveys/nga-msna-2024.csv", "input: " + export));
  }

  /** exited_composite of the IDPs per area, of one survey. */
  private Map<String, Double> idpsPastTheBenchmark(String survey) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r :
        new Lakehouse(SparkTestSession.get(), work.resolve("lakehouse").toString())
            .read(Tables.INDICATOR_VALUES)
            .where(
                "source_family = 'survey' AND indicator_id = 'exited_composite'"
                    + " AND population_group = 'idp' AND source_operation = '"
                    + survey
                    + "'")
            .collectAsList()) {
      out.put(r.getAs("admin_code"), r.getAs("value"));
    }
    return out;
  }

  @Test
  void anIdpSurveyTakesTheBenchmarkOfTheHostSurveyOfItsRoundAndFollowsItsChanges()
      throws IOException {
    Files.createDirectories(work.resolve("surveys"));
    Path idps = work.resolve("nga-idp-2024.csv");
    Path hosts = work.resolve("nga-host-2024.csv");
    split(idps, List.of("idp", "returnee"));
    split(hosts, List.of("host_community"));
    manifest("nga-idp-2024", idps);
    manifest("nga-host-2024", hosts);
    // the whole round as one survey, for comparison, under a round label of its own (with the
    // same label it would share the benchmark too)
    String whole = Files.readString(Path.of("conf/surveys/nga-msna-2024.yaml"));
    assertThat(whole).contains("round: \"2024\"");
    Files.writeString(
        work.resolve("surveys").resolve("nga-msna-2024.yaml"),
        whole.replace("round: \"2024\"", "round: \"2024-whole\""));
    cli("ingest", "surveys");
    cli("indicators", "surveys");
    Map<String, Double> split = idpsPastTheBenchmark("nga-idp-2024");
    // the same households, weights and benchmark: the same shares as in the whole round's survey
    assertThat(split.values()).isNotEmpty().doesNotContainNull();
    assertClose(split, idpsPastTheBenchmark("nga-msna-2024"));

    // fewer host households (the round's dates narrowed for the host survey alone): the IDP
    // survey is recomputed with it, as a forced run recomputes it
    Path hostManifest = work.resolve("surveys").resolve("nga-host-2024.yaml");
    String text = Files.readString(hostManifest);
    assertThat(text).contains("end: \"2024-10-31\"");
    Files.writeString(hostManifest, text.replace("end: \"2024-10-31\"", "end: \"2024-09-15\""));
    cli("--set", "quality.max-reject-share=1", "ingest", "surveys");
    Cli incremental = cli("indicators", "surveys");
    assertThat(incremental.out).contains("surveys [nga-host-2024, nga-idp-2024] recomputed");
    Map<String, Double> after = idpsPastTheBenchmark("nga-idp-2024");
    assertThat(after).isNotEqualTo(split);
    cli("indicators", "surveys", "--force");
    assertClose(idpsPastTheBenchmark("nga-idp-2024"), after);

    // the host survey emptied (every interview outside its round's dates, no quality gate): its
    // values go, and the IDP survey, recomputed with it, has no benchmark left, as a forced run
    // finds
    Files.writeString(
        hostManifest,
        text.replace("start: \"2024-08-01\"", "start: \"2023-01-01\"")
            .replace("end: \"2024-10-31\"", "end: \"2023-01-31\""));
    cli("--set", "quality.max-reject-share=1", "ingest", "surveys");
    Lakehouse lh = new Lakehouse(SparkTestSession.get(), work.resolve("lakehouse").toString());
    assertThat(lh.read(Tables.SURVEY_HOUSEHOLDS).where("survey_id = 'nga-host-2024'").count())
        .isZero();
    Cli emptied = cli("indicators", "surveys");
    assertThat(emptied.out).contains("surveys [nga-host-2024, nga-idp-2024] recomputed");
    assertThat(lh.read(Tables.INDICATOR_VALUES).where("source_operation = 'nga-host-2024'").count())
        .isZero();
    // no comparator households in the round: no exited_composite, the other values stay
    assertThat(idpsPastTheBenchmark("nga-idp-2024")).isEmpty();
    assertThat(
            lh.read(Tables.INDICATOR_VALUES)
                .where("source_operation = 'nga-idp-2024' AND indicator_id = 'exited_all_criteria'")
                .count())
        .isPositive();
    SameRows.assertAsForced(lh, () -> cli("indicators", "surveys", "--force"));
  }

  /** The same areas, with values equal up to the order of floating-point sums. */
  private static void assertClose(Map<String, Double> actual, Map<String, Double> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    actual.forEach((k, v) -> assertThat(v).as(k).isCloseTo(expected.get(k), within(1e-12)));
  }
}
