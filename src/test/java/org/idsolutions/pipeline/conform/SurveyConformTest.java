package org.idsolutions.pipeline.conform;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.config.SurveyManifest;
import org.idsolutions.pipeline.conform.survey.SurveyConform;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.InputFiles;
import org.idsolutions.pipeline.raw.KoboReader;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.idsolutions.pipeline.support.TrackingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Kobo export in its two spellings, with the bad rows each rule is for. */
class SurveyConformTest {
  @TempDir static Path dir;
  static final String[] HEADER = {
    "today",
    "grp_loc/admin1",
    "stratum",
    "cluster_id",
    "weight",
    "grp_resp/resp_phone",
    "grp_hh/displacement_status",
    "grp_liv/employed",
    "grp_edu/school_age_children",
    "grp_docs/documents_held",
    "grp_docs/documents_held/national_id",
    "_uuid",
    "_submission_time"
  };
  static final String[][] ROWS = {
    {
      "2024-08-10",
      "NG008",
      "S1",
      "C1",
      "120.5",
      "+234 803 555 0142",
      "idp",
      "yes",
      "2",
      "birth_certificate national_id",
      "1",
      "u1",
      "2024-08-10T10:00:00"
    }, // resubmitted below: dropped
    {
      "2024-08-11",
      "NG008",
      "S1",
      "C1",
      "",
      "+234 803 555 0143",
      "idp",
      "no",
      "0",
      "none",
      "0",
      "u2",
      "2024-08-11T10:00:00"
    }, // weight missing
    {
      "2024-08-11",
      "NG008",
      "S1",
      "C2",
      "-3",
      "",
      "idp",
      "no",
      "0",
      "none",
      "0",
      "u3",
      "2024-08-11T10:00:00"
    }, // weight below zero
    {
      "2024-08-12",
      "NG002",
      "S2",
      "C3",
      "80",
      "",
      "refugee",
      "yes",
      "1",
      "none",
      "0",
      "u4",
      "2024-08-12T10:00:00"
    }, // group not in the manifest
    {
      "2023-12-01",
      "NG002",
      "S2",
      "C3",
      "80",
      "",
      "host",
      "yes",
      "1",
      "none",
      "0",
      "u5",
      "2024-08-12T10:00:00"
    }, // interviewed before the round
    {
      "2024-08-10",
      "NG008",
      "S1",
      "C1",
      "120.5",
      "+234 803 555 0142",
      "idp",
      "no",
      "2",
      "birth_certificate national_id",
      "1",
      "u1",
      "2024-08-13T09:00:00"
    }, // later resubmission: kept
    {
      "2024-08-14",
      "NG099",
      "S2",
      "C4",
      "80",
      "",
      "host",
      "yes",
      "1",
      "none",
      "0",
      "u6",
      "2024-08-14T10:00:00"
    }, // unknown admin 1
    {
      "2024-08-15",
      "NG002",
      "S2",
      "C4",
      "95",
      "",
      "Host",
      "dont_know",
      "",
      "national_id",
      "1",
      "u7",
      "2024-08-15T10:00:00"
    }, // valid; don't know is missing
  };

  static SurveyManifest manifest =
      new SurveyManifest(
          "test-2024",
          "NGA",
          "2024",
          "unused",
          new SurveyManifest.DateRange("2024-08-01", "2024-10-31"),
          new SurveyManifest.Design("weight", "stratum", "cluster_id"),
          Map.of(
              "today", "survey_date",
              "grp_loc/admin1", "admin1_pcode",
              "grp_hh/displacement_status", "population_group",
              "grp_liv/employed", "employed",
              "grp_edu/school_age_children", "school_age_children",
              "grp_docs/documents_held/national_id", "has_civil_documentation",
              "_uuid", "uuid",
              "_submission_time", "submission_time"),
          Map.of("idp", List.of("idp"), "non_displaced", List.of("host")),
          List.of("grp_resp/resp_phone"));

  static Map<String, List<String>> households = new HashMap<>();
  static Map<String, List<String>> rejected = new HashMap<>();

  @BeforeAll
  static void readBothSpellings() throws IOException {
    // Kobo's own export: ';', BOM, every value quoted, group paths with '/'
    StringBuilder kobo = new StringBuilder("\uFEFF").append(line(HEADER, ';', true));
    // the same data read through R: ',', X_ prefixes, '.' for '/'
    String[] rHeader = new String[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      rHeader[i] = (HEADER[i].startsWith("_") ? "X" : "") + HEADER[i].replace('/', '.');
    }
    StringBuilder r = new StringBuilder(line(rHeader, ',', false));
    for (String[] row : ROWS) {
      kobo.append(line(row, ';', true));
      r.append(line(row, ',', false));
    }
    Files.writeString(dir.resolve("kobo.csv"), kobo, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("r.csv"), r, StandardCharsets.UTF_8);
    for (String name : List.of("kobo.csv", "r.csv")) {
      conform(name);
    }
  }

  private static String line(String[] cells, char sep, boolean quoteAll) {
    List<String> out = new ArrayList<>();
    for (String c : cells) {
      out.add(quoteAll || c.contains(String.valueOf(sep)) ? "\"" + c + "\"" : c);
    }
    return String.join(String.valueOf(sep), out) + "\n";
  }

  private static KoboReader.Export export(SurveyManifest m, String name) throws IOException {
    InputFile file =
        InputFiles.inspect(new Configuration(), dir.resolve(name).toString(), List.of(), h -> h)
            .get(0);
    String headerLine = Files.readAllLines(dir.resolve(name)).get(0);
    return new KoboReader.Export(
        m.surveyId(), file, KoboReader.separator(headerLine), KoboReader.header(headerLine));
  }

  private static Dataset<Row> check(List<SurveyManifest> manifests, List<KoboReader.Export> in) {
    SparkSession spark = SparkTestSession.get();
    return SurveyConform.check(
        KoboReader.readAll(spark, in, "run"),
        manifests,
        TrackingFixture.adminUnits(spark),
        TestConfig.defaults().surveys(),
        "k");
  }

  private static List<String> householdLines(Dataset<Row> checked) {
    List<String> ok = new ArrayList<>();
    for (Row h :
        SurveyConform.households(checked)
            .drop("source_file", "load_run_id")
            .orderBy("submission_time")
            .collectAsList()) {
      ok.add(h.toString());
    }
    return ok;
  }

  private static List<String> rejectedLines(Dataset<Row> checked) {
    List<String> bad = new ArrayList<>();
    for (Row q :
        SurveyConform.rejected(checked, "run")
            .orderBy("row_number")
            .select("row_number", "rule", "message", "raw_row")
            .collectAsList()) {
      bad.add(
          q.getLong(0) + " " + q.getString(1) + " | " + q.getString(2) + " | " + q.getString(3));
    }
    return bad;
  }

  private static void conform(String name) throws IOException {
    Dataset<Row> checked = check(List.of(manifest), List.of(export(manifest, name)));
    households.put(name, householdLines(checked));
    rejected.put(name, rejectedLines(checked));
  }

  private static SurveyManifest renamed(SurveyManifest m, String id) {
    return new SurveyManifest(
        id,
        m.country(),
        m.round(),
        m.input(),
        m.dateRange(),
        m.design(),
        m.columns(),
        m.populationGroups(),
        m.piiColumns());
  }

  @Test
  void aBatchChecksEachSurveyWithItsOwnManifest() throws IOException {
    // a wider round that also counts refugees as IDPs: u4 and u5 pass, which the first refuses
    SurveyManifest wider =
        new SurveyManifest(
            "test-2024-wider",
            "NGA",
            "2024",
            "unused",
            new SurveyManifest.DateRange("2023-11-01", "2024-10-31"),
            manifest.design(),
            manifest.columns(),
            Map.of("idp", List.of("idp", "refugee"), "non_displaced", List.of("host")),
            manifest.piiColumns());
    // the same export named by a second manifest is read again, for that survey
    SurveyManifest widerKobo = renamed(wider, "test-2024-wider-kobo");
    List<SurveyManifest> manifests = List.of(manifest, wider, widerKobo);
    List<KoboReader.Export> exports =
        List.of(
            export(manifest, "kobo.csv"), export(wider, "r.csv"), export(widerKobo, "kobo.csv"));
    Dataset<Row> batch = check(manifests, exports).cache();
    for (int i = 0; i < manifests.size(); i++) {
      SurveyManifest m = manifests.get(i);
      Dataset<Row> alone = check(List.of(m), List.of(exports.get(i)));
      Dataset<Row> ofBatch = batch.where(col("survey_id").equalTo(m.surveyId()));
      assertThat(householdLines(ofBatch)).isEqualTo(householdLines(alone));
      assertThat(rejectedLines(ofBatch)).isEqualTo(rejectedLines(alone));
    }
    assertThat(householdLines(batch.where("survey_id = 'test-2024'"))).hasSize(2);
    Dataset<Row> widerRows = batch.where("survey_id = 'test-2024-wider'");
    assertThat(householdLines(widerRows)).hasSize(4);
    assertThat(rejectedLines(widerRows).stream().map(s -> s.substring(0, s.indexOf(" |"))))
        .containsExactly(
            "1 duplicate_submission",
            "2 invalid_weight",
            "3 invalid_weight",
            "7 unknown_admin_unit");
    assertThat(householdLines(batch.where("survey_id = 'test-2024-wider-kobo'")))
        .hasSize(4)
        .allMatch(h -> h.contains("test-2024-wider-kobo"));
    batch.unpersist();
  }

  @Test
  void bothSpellingsGiveTheSameHouseholds() {
    assertThat(households.get("kobo.csv")).hasSize(2);
    assertThat(households.get("r.csv")).isEqualTo(households.get("kobo.csv"));
    assertThat(rejected.get("r.csv").stream().map(s -> s.substring(0, s.indexOf('|'))).toList())
        .isEqualTo(
            rejected.get("kobo.csv").stream().map(s -> s.substring(0, s.indexOf('|'))).toList());
  }

  @Test
  void eachBadRowIsQuarantinedWithItsRule() {
    assertThat(rejected.get("kobo.csv").stream().map(s -> s.substring(0, s.indexOf(" |"))).toList())
        .containsExactly(
            "1 duplicate_submission",
            "2 invalid_weight",
            "3 invalid_weight",
            "4 unknown_population_group",
            "5 date_out_of_range",
            "7 unknown_admin_unit");
    assertThat(rejected.get("kobo.csv").get(2)).contains("weight '-3' must be a number > 0");
    assertThat(rejected.get("kobo.csv").get(4))
        .contains("2023-12-01 is outside the round 2024-08-01 .. 2024-10-31");
  }

  @Test
  void theLatestSubmissionIsKeptAndAnswersAreTyped() {
    String kept = households.get("kobo.csv").get(0);
    // u1's resubmission: employed "no" -> 0, national_id 0/1 column -> has_civil_documentation 1
    assertThat(kept).contains(",idp,S1,C1,120.5,2024-08-10,");
    String u7 = households.get("kobo.csv").get(1);
    // "Host" matches the manifest's host, case-insensitively; don't know -> null
    assertThat(u7).contains(",non_displaced,S2,C4,95.0,");
  }

  @Test
  void personalDataIsNotCarriedIntoQuarantineOrHouseholds() {
    for (String q : rejected.get("kobo.csv")) {
      assertThat(q).doesNotContain("+234").doesNotContain("resp_phone");
    }
    for (String h : households.get("kobo.csv")) {
      assertThat(h).doesNotContain("+234").doesNotContain("u1").doesNotContain("u7");
    }
  }
}
