package org.idsolutions.pipeline.raw;

import java.util.List;

/**
 * An input file, inspected before anything is read with Spark.
 *
 * @param path path or URI
 * @param format json or csv
 * @param checksum SHA-256 of the content, hex
 * @param canonicalColumns for CSV: the canonical field of each header column by position (null: not
 *     a known field); empty for JSON
 * @param hxlRow for CSV: whether the line after the header is an HXL tag row
 */
public record InputFile(
    String path,
    String format,
    long sizeBytes,
    String checksum,
    List<String> canonicalColumns,
    boolean hxlRow) {

  public static final String JSON = "json";
  public static final String CSV = "csv";
  public static final String XML = "xml";
}
