package org.idsolutions.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.idsolutions.pipeline.errors.ExitCode;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurveyManifestTest {
  @TempDir Path dir;

  static final String GOOD =
      """
      survey-id: t-2024
      country: NGA
      round: "2024"
      input: data-samples/surveys/nga-msna-2024.csv
      date-range: {start: "2024-08-01", end: "2024-10-31"}
      design: {weight: weight, stratum: stratum, cluster: cluster_id}
      columns:
        _uuid: uuid
        today: survey_date
        grp_loc/admin1: admin1_pcode
        grp_hh/displacement_status: population_group
        grp_liv/employed: employed
      population-groups: {idp: [idp], non_displaced: [host_community]}
      pii-columns: [grp_resp/resp_name]
      """;

  private Path write(String text) throws IOException {
    Path p = dir.resolve("t-2024.yaml");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void theShippedManifestsLoad() {
    assertThat(SurveyConfigs.manifests("conf/surveys"))
        .extracting(SurveyManifest::surveyId)
        .containsExactly("nga-msna-2024", "nga-msna-2025");
  }

  @Test
  void unknownStandardFieldIsAUsageErrorNamingIt() throws IOException {
    Path p = write(GOOD.replace("grp_liv/employed: employed", "grp_liv/employed: employment"));
    assertThatThrownBy(() -> SurveyConfigs.manifest(p))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("columns.grp_liv/employed")
        .hasMessageContaining("unknown standard field 'employment'")
        .satisfies(e -> assertThat(((PipelineException) e).exitCode()).isEqualTo(ExitCode.USAGE));
  }

  @Test
  void unknownKeyAndUnknownGroupAreRefused() throws IOException {
    Path typo = write(GOOD.replace("pii-columns:", "pii-cols:"));
    assertThatThrownBy(() -> SurveyConfigs.manifest(typo))
        .hasMessageContaining("unknown config key 'pii-cols'");
    Path group = write(GOOD.replace("idp: [idp]", "refugee: [refugee]"));
    assertThatThrownBy(() -> SurveyConfigs.manifest(group))
        .hasMessageContaining("population-groups");
  }

  @Test
  void aColumnMissingFromTheExportStopsTheLoadWithExit2() throws IOException {
    Path p = write(GOOD.replace("grp_liv/employed: employed", "grp_liv/has_job: employed"));
    Cli r =
        Cli.run(
            "--conf",
            "src/test/resources/test.yaml",
            "--lakehouse",
            dir.resolve("lh").toString(),
            "ingest",
            "surveys",
            "--manifests",
            p.toString());
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.err).contains("column 'grp_liv/has_job' named in the manifest is not in");
    assertThat(Files.exists(dir.resolve("lh/conformed"))).isFalse();
  }
}
