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
 * @param modifiedMillis the file's modification time (epoch milliseconds) as its file system
 *     reported it, or {@link #UNSETTLED} for a file modified too shortly before it was inspected: a
 *     write in the same tick of a coarse clock (a second on some file systems and object stores)
 *     could change it again without changing its time, so its time cannot vouch for its content
 */
public record InputFile(
    String path,
    String format,
    long sizeBytes,
    String checksum,
    List<String> canonicalColumns,
    boolean hxlRow,
    long modifiedMillis) {

  public static final String JSON = "json";
  public static final String CSV = "csv";
  public static final String XML = "xml";

  /**
   * {@link #modifiedMillis} of a file modified within {@link #SETTLED_MILLIS} of its inspection.
   */
  public static final long UNSETTLED = -1;

  /** How long before its inspection a file's last change must be for its time to vouch for it. */
  public static final long SETTLED_MILLIS = 5_000;

  /**
   * Checksums known without reading the files: the checksum a file had when it was loaded, given
   * its path, size and modification time then (see {@code LoadLedger.Loaded}).
   */
  @FunctionalInterface
  public interface KnownChecksums {
    /** No checksum is known: every file is read and hashed. */
    KnownChecksums NONE = (path, sizeBytes, modifiedMillis) -> null;

    /**
     * The checksum of the file at {@code path} if it has this size and modification time, else
     * null.
     */
    String of(String path, long sizeBytes, long modifiedMillis);
  }
}
