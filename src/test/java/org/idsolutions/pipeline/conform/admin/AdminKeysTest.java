package org.idsolutions.pipeline.conform.admin;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;

/**
 * The match keys under the session's case mappings (the JVM's, {@code
 * spark.sql.icu.caseMappings.enabled=false}, as the pipeline runs): checked against the same
 * reduction written in plain Java, name by name.
 */
class AdminKeysTest {
  private static final List<String> NAMES =
      List.of(
          "Askira/Uba",
          "ASKIRA-UBA",
          " askira uba ",
          "Kaélé",
          "MAROUA Ier",
          "Ñamboyá  Düsseldorf",
          "ŁÓDŹ",
          "Şanlıurfa",
          "",
          "td07",
          "TCD07",
          "nga-07");

  @Test
  void namesAndCodesGiveTheKeysOfTheirPlainJavaReduction() {
    SparkSession spark = SparkTestSession.get();
    List<Row> keys =
        spark
            .createDataset(NAMES, Encoders.STRING())
            .select(
                col("value"),
                AdminKeys.nameKey(col("value")).as("name_key"),
                AdminKeys.codeDigits(col("value")).as("digits"))
            .collectAsList();
    List<String> got = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (Row r : keys) {
      String name = r.getString(0);
      got.add(name + " -> " + r.getString(1) + " / " + r.getString(2));
      expected.add(name + " -> " + nameKey(name) + " / " + codeDigits(name));
    }
    assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    // the documented examples
    assertThat(nameKey("Askira/Uba")).isEqualTo("askirauba");
    assertThat(nameKey("Kaélé")).isEqualTo("kaele");
    assertThat(codeDigits("td07")).isEqualTo("07");
  }

  private static String nameKey(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.trim().toLowerCase(Locale.ROOT).toCharArray()) {
      int i = AdminKeys.ACCENTED.indexOf(c);
      char plain = i >= 0 ? AdminKeys.PLAIN.charAt(i) : c;
      if ((plain >= 'a' && plain <= 'z') || (plain >= '0' && plain <= '9')) {
        b.append(plain);
      }
    }
    return b.isEmpty() ? null : b.toString();
  }

  private static String codeDigits(String code) {
    var m =
        java.util.regex.Pattern.compile("^[A-Z]{0,3}([0-9]+)$")
            .matcher(code.trim().toUpperCase(Locale.ROOT));
    return m.matches() ? m.group(1) : null;
  }
}
