package org.idsolutions.pipeline.conform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.conform.tracking.TrackingRules;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.idsolutions.pipeline.support.TestConfig;
import org.idsolutions.pipeline.support.TrackingFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminMatcherTest {
  /** id -> {admin1 pcode, admin1 method, admin2 pcode, admin2 method, reject rule}. */
  static Map<String, String[]> out = new HashMap<>();

  @BeforeAll
  static void match() {
    SparkSession spark = SparkTestSession.get();
    TrackingFixture f =
        TrackingFixture.create()
            .add("id", "exact") // p-codes as in the reference
            .add(
                "id",
                "iso2",
                "admin0Pcode",
                "TCD",
                "admin1Pcode",
                "TD07",
                "admin2Pcode",
                "TD0701",
                "admin2Name",
                "x") // ISO2 prefix written by DTM for Chad
            .add("id", "lower", "admin2Pcode", "ng008013", "admin2Name", null) // lower case p-code
            .add(
                "id",
                "name",
                "admin2Pcode",
                "",
                "admin2Name",
                "ASKIRA-UBA") // name only, other punctuation
            .add(
                "id",
                "parent2",
                "admin1Pcode",
                "NG002",
                "admin2Pcode",
                null,
                "admin2Name",
                "central") // Central under Adamawa
            .add(
                "id",
                "parent8",
                "admin2Pcode",
                null,
                "admin2Name",
                "Central") // Central under Borno
            .add(
                "id",
                "a1name",
                "admin1Pcode",
                null,
                "admin1Name",
                "BORNO",
                "adminLevel",
                "1",
                "admin2Pcode",
                null,
                "admin2Name",
                null) // admin 1 by name
            .add("id", "alias", "admin2Pcode", null, "admin2Name", "Yerwa") // alias of Maiduguri
            .add(
                "id",
                "wrongparent",
                "admin1Pcode",
                "NG002") // admin 2 code wins over a wrong admin 1
            .add(
                "id",
                "noparent",
                "admin1Pcode",
                "NG099",
                "admin1Name",
                null,
                "admin2Pcode",
                null,
                "admin2Name",
                "Jere") // a name needs a known parent
            .add("id", "accent", "admin2Pcode", null, "admin2Name", "Máidúguri"); // accents ignored
    for (Row r :
        TrackingFixture.check(spark, f.toRaw(spark))
            .selectExpr("id", "a1.pcode", "a1_method", "a2.pcode", "a2_method", "reject_rule")
            .collectAsList()) {
      out.put(
          r.getString(0),
          new String[] {
            r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)
          });
    }
  }

  @Test
  void exactPcodeMatches() {
    assertThat(out.get("exact")).containsExactly("NG008", "exact", "NG008021", "exact", null);
  }

  @Test
  void pcodeFormatIsFixedWithinTheCountry() {
    assertThat(out.get("iso2"))
        .containsExactly("TCD07", "pcode_format", "TCD0701", "pcode_format", null);
    assertThat(out.get("lower")[2]).isEqualTo("NG008013");
    assertThat(out.get("lower")[3]).isEqualTo("pcode_format");
  }

  @Test
  void namesMatchAfterNormalisation() {
    assertThat(out.get("name")).containsExactly("NG008", "exact", "NG008002", "name", null);
    assertThat(out.get("accent")[2]).isEqualTo("NG008021");
    assertThat(out.get("a1name")).containsExactly("NG008", "name", null, null, null);
  }

  @Test
  void namesMatchOnlyWithinTheParent() {
    assertThat(out.get("parent2")[2]).isEqualTo("NG002100");
    assertThat(out.get("parent8")[2]).isEqualTo("NG008100");
    assertThat(out.get("noparent")[2]).isNull();
    assertThat(out.get("noparent")[4]).isEqualTo("unknown_admin_unit");
  }

  @Test
  void aliasesMatchNamesTheReferenceDoesNotHave() {
    assertThat(out.get("alias")).containsExactly("NG008", "exact", "NG008021", "alias", null);
  }

  @Test
  void theReferenceParentOfAnAdmin2CodeWins() {
    assertThat(out.get("wrongparent")[0]).isEqualTo("NG008");
    assertThat(out.get("wrongparent")[2]).isEqualTo("NG008021");
  }

  @Test
  void ambiguousNamesAndCodeDigitsMatchNothing() {
    SparkSession spark = SparkTestSession.get();
    // two Gwoza under Borno, and two admin 1 codes with the digits 07 in Chad
    Dataset<Row> units =
        TrackingFixture.adminUnits(spark)
            .union(
                spark.createDataFrame(
                    List.of(
                        RowFactory.create(
                            "NGA", 2, "NG008050", "Gwoza", "NG008", Date.valueOf("2020-01-01")),
                        RowFactory.create(
                            "NGA", 2, "NG008051", "GWOZA", "NG008", Date.valueOf("2020-01-01")),
                        RowFactory.create(
                            "TCD", 1, "TD07", "Lac bis", "TCD", Date.valueOf("2020-01-01"))),
                    TrackingFixture.adminUnits(spark).schema()));
    TrackingFixture f =
        TrackingFixture.create()
            .add("id", "gwoza", "admin2Pcode", null, "admin2Name", "Gwoza")
            .add("id", "gwozacode", "admin2Pcode", "NG008051", "admin2Name", "Gwoza")
            .add(
                "id",
                "td07",
                "admin0Pcode",
                "TCD",
                "adminLevel",
                "1",
                "admin1Pcode",
                "T07",
                "admin2Pcode",
                null,
                "admin2Name",
                null);
    Map<String, Row> rows = new HashMap<>();
    for (Row r :
        TrackingRules.check(
                f.toRaw(spark),
                units,
                TrackingFixture.aliases(spark),
                TestConfig.defaults().tracking())
            .selectExpr("id", "a1.pcode", "a2.pcode", "reject_rule")
            .collectAsList()) {
      rows.put(r.getString(0), r);
    }
    assertThat(rows.get("gwoza").getString(2)).isNull();
    assertThat(rows.get("gwoza").getString(3)).isEqualTo("unknown_admin_unit");
    assertThat(rows.get("gwozacode").getString(2)).isEqualTo("NG008051");
    assertThat(rows.get("td07").getString(1)).isNull();
    assertThat(rows.get("td07").getString(3)).isEqualTo("unknown_admin_unit");
  }
}
