package org.idsolutions.pipeline.raw;

import java.util.List;
import java.util.Locale;

/** The DTM tracking fields (DESIGN 3.2), as named by the DTM API and its CSV exports. */
public final class TrackingFields {
  private TrackingFields() {}

  public static final List<String> ALL =
      List.of(
          "id",
          "operation",
          "admin0Name",
          "admin0Pcode",
          "admin1Name",
          "admin1Pcode",
          "admin2Name",
          "admin2Pcode",
          "adminLevel",
          "numPresentIdpInd",
          "numReturneeInd",
          "reportingDate",
          "yearReportingDate",
          "monthReportingDate",
          "roundNumber",
          "displacementReason",
          "numberMales",
          "numberFemales",
          "idpOriginAdmin1Name",
          "idpOriginAdmin1Pcode",
          "assessmentType",
          "operationStatus");

  /** Columns a file must have; the others are optional and read as null when absent. */
  public static final List<String> REQUIRED =
      List.of(
          "operation",
          "admin0Pcode",
          "adminLevel",
          "numPresentIdpInd",
          "reportingDate",
          "roundNumber");

  /**
   * The canonical field for a header as found in a file (case, spaces and underscores ignored), or
   * null.
   */
  public static String canonical(String header) {
    String key = simplify(header);
    for (String field : ALL) {
      if (simplify(field).equals(key)) {
        return field;
      }
    }
    return null;
  }

  private static String simplify(String s) {
    return s.replace("\uFEFF", "").replaceAll("[\\s_\\-]", "").toLowerCase(Locale.ROOT);
  }
}
