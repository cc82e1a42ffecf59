package org.idsolutions.pipeline.support;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.idsolutions.pipeline.lakehouse.Tables;

/**
 * conformed.tracking_counts rows for indicator tests. Units: see {@link
 * TrackingFixture#adminUnits}.
 */
public final class ConformedFixture {
  private final List<Row> rows = new ArrayList<>();

  public static ConformedFixture create() {
    return new ConformedFixture();
  }

  /** An admin 2 row of Borno (NG008) or Adamawa (NG002), parent taken from the p-code. */
  public ConformedFixture admin2(
      String op, String pcode, String date, int round, String reasonGroup, long idp) {
    String a1 = pcode.substring(0, 5);
    return add(op, 2, pcode, a1, pcode, date, round, reasonGroup, idp, null);
  }

  public ConformedFixture admin1(String op, String pcode, String date, int round, long idp) {
    return add(op, 1, pcode, pcode, null, date, round, "conflict", idp, null);
  }

  public ConformedFixture withReturnees(
      String op, String pcode, String date, int round, long idp, long returnees) {
    return add(op, 2, pcode, pcode.substring(0, 5), pcode, date, round, "conflict", idp, returnees);
  }

  private ConformedFixture add(
      String op,
      int level,
      String pcode,
      String a1,
      String a2,
      String date,
      int round,
      String reasonGroup,
      long idp,
      Long returnees) {
    String reason =
        switch (reasonGroup) {
          case "conflict" -> "conflict";
          case "disaster" -> "natural disaster";
          default -> "not available";
        };
    rows.add(
        RowFactory.create(
            "NGA",
            op,
            level,
            pcode,
            pcode + " name",
            a1,
            a1 + " name",
            a2,
            a2 == null ? null : a2 + " name",
            "exact",
            "BA",
            round,
            Date.valueOf(date),
            reason,
            reasonGroup,
            idp,
            returnees,
            null,
            null,
            1,
            1,
            "file:/fixture",
            "test-run"));
    return this;
  }

  public Dataset<Row> toDataset(SparkSession spark) {
    return spark.createDataFrame(rows, Tables.TRACKING_COUNTS.schema());
  }
}
