package org.idsolutions.pipeline.conform;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.conform.tracking.TrackingConform;
import org.idsolutions.pipeline.raw.InputFile;
import org.idsolutions.pipeline.raw.InputFiles;
import org.idsolutions.pipeline.raw.TrackingFields;
import org.idsolutions.pipeline.raw.TrackingReader;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.idsolutions.pipeline.support.TrackingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same records as API JSON, bare JSON array, and CSV with and without HXL give the same rows.
 */
class ReaderEquivalenceTest {
  @TempDir static Path dir;
  static TrackingFixture records;

  @BeforeAll
  static void writeFiles() throws IOException {
    records =
        TrackingFixture.create()
            .add(
                "id",
                "1",
                "displacementReason",
                "Conflict",
                "idpOriginAdmin1Pcode",
                "NG008") // origin 1
            .add(
                "id",
                "2",
                "displacementReason",
                "conflict",
                "idpOriginAdmin1Pcode",
                "NG002",
                "numPresentIdpInd",
                "40") // same unit/round/reason, origin 2: summed
            .add(
                "id",
                "3",
                "displacementReason",
                "Natural disaster; CONFLICT",
                "numberMales",
                "20",
                "numberFemales",
                "80") // multi-valued reason, sex split
            .add(
                "id",
                "4",
                "displacementReason",
                "Not available",
                "admin2Pcode",
                "NG008013",
                "admin2Name",
                "Jere, \"Old\"") // quoted comma in a name
            .add("id", "5", "numPresentIdpInd", "-3"); // quarantined in every form
    ObjectMapper json = new ObjectMapper();
    ArrayNode array = json.createArrayNode();
    for (Map<String, String> r : records.records()) {
      ObjectNode o = array.addObject();
      for (Map.Entry<String, String> e : r.entrySet()) {
        boolean numeric = e.getValue() != null && e.getValue().matches("-?[0-9]+");
        if (numeric && !e.getKey().equals("id")) {
          o.put(e.getKey(), Long.parseLong(e.getValue())); // numbers as JSON numbers
        } else {
          o.put(e.getKey(), e.getValue());
        }
      }
    }
    ObjectNode envelope = json.createObjectNode();
    envelope.put("isSuccess", true);
    envelope.putNull("message");
    envelope.set("result", array);
    Files.writeString(
        dir.resolve("api.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(envelope));
    Files.writeString(dir.resolve("bare.json"), json.writeValueAsString(array));
    Files.writeString(dir.resolve("hxl.csv"), csv(true));
    Files.writeString(dir.resolve("plain.csv"), "\uFEFF" + csv(false));
  }

  private static String csv(boolean hxl) {
    StringBuilder sb = new StringBuilder(String.join(",", TrackingFields.ALL)).append("\n");
    if (hxl) {
      List<String> tags = new ArrayList<>();
      for (String f : TrackingFields.ALL) {
        tags.add("#x_" + f.toLowerCase());
      }
      sb.append(String.join(",", tags)).append("\n");
    }
    for (Map<String, String> r : records.records()) {
      List<String> cells = new ArrayList<>();
      for (String f : TrackingFields.ALL) {
        String v = r.get(f);
        cells.add(
            v == null
                ? ""
                : v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
      }
      sb.append(String.join(",", cells)).append("\n");
    }
    return sb.toString();
  }

  private static List<String> conformed(String name) {
    SparkSession spark = SparkTestSession.get();
    InputFile file =
        InputFiles.inspect(
                new Configuration(),
                dir.resolve(name).toString(),
                TrackingFields.REQUIRED,
                TrackingFields::canonical)
            .get(0);
    Dataset<Row> raw = TrackingReader.read(spark, file, "run").withColumn("file_seq", lit(0));
    Dataset<Row> checked = TrackingFixture.check(spark, raw);
    List<String> out = new ArrayList<>();
    for (Row r :
        TrackingConform.aggregate(
                TrackingConform.accepted(checked), TestConfig.defaults().tracking())
            .drop("source_file")
            .collectAsList()) {
      out.add(r.toString());
    }
    for (Row r :
        checked
            .where("reject_rule IS NOT NULL")
            .select("row_number", "reject_rule")
            .collectAsList()) {
      out.add("rejected " + r);
    }
    out.sort(String::compareTo);
    return out;
  }

  @Test
  void jsonAndCsvFormsGiveIdenticalConformedRows() {
    List<String> api = conformed("api.json");
    assertThat(api).hasSize(4); // 3 conformed rows (ids 1+2 summed) + 1 rejected
    assertThat(api).contains("rejected [5,invalid_count]");
    assertThat(conformed("bare.json")).isEqualTo(api);
    assertThat(conformed("hxl.csv")).isEqualTo(api);
    assertThat(conformed("plain.csv")).isEqualTo(api);
  }

  @Test
  void originsAreSummedAndReasonsNormalised() {
    List<String> api = conformed("api.json");
    assertThat(api)
        .anySatisfy(r -> assertThat(r).contains(",conflict,conflict,140,")) // 100 + 40 over origins
        .anySatisfy(r -> assertThat(r).contains(",conflict; natural disaster,conflict,100,"))
        .anySatisfy(r -> assertThat(r).contains(",not available,other,100,"));
  }

  @Test
  void hxlRowIsDetectedAndNotCountedAsData() {
    InputFile hxl =
        InputFiles.inspect(
                new Configuration(),
                dir.resolve("hxl.csv").toString(),
                TrackingFields.REQUIRED,
                TrackingFields::canonical)
            .get(0);
    assertThat(hxl.hxlRow()).isTrue();
    assertThat(TrackingReader.read(SparkTestSession.get(), hxl, "run").count()).isEqualTo(5);
    assertThat(
            TrackingReader.read(SparkTestSession.get(), hxl, "run")
                .where("id = '5'")
                .first()
                .<Long>getAs("row_number"))
        .isEqualTo(5L);
  }
}
