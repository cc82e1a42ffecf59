package org.idsolutions.pipeline.raw;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Finds input files (a file or a folder, local or on object storage through Hadoop's FileSystem),
 * decides their format by name and content, checks CSV headers, and computes checksums. Nothing
 * here uses Spark jobs.
 */
public final class InputFiles {
  private static final int SNIFF_BYTES = 64 * 1024;

  private InputFiles() {}

  /**
   * The files under {@code location}: the file itself, or a folder's .json and .csv files sorted by
   * name.
   *
   * @param requiredColumns canonical names a CSV header must have
   * @param canonical maps a header as found to its canonical field, or null
   */
  public static List<InputFile> inspect(
      Configuration hadoop,
      String location,
      List<String> requiredColumns,
      Function<String, String> canonical) {
    return inspect(hadoop, location, requiredColumns, canonical, InputFile.KnownChecksums.NONE);
  }

  /**
   * As {@link #inspect(Configuration, String, List, Function)}, taking a file's checksum from
   * {@code known} when it knows the file's path, size and modification time, instead of reading the
   * whole file to hash it: an incremental run hashed every file it had ever loaded (the 192
   * tracking files, 363 MB, of a scale 1 bench; docs/performance.md, change 91).
   */
  public static List<InputFile> inspect(
      Configuration hadoop,
      String location,
      List<String> requiredColumns,
      Function<String, String> canonical,
      InputFile.KnownChecksums known) {
    try {
      Path root = new Path(location);
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        throw Errors.inputNotFound(location);
      }
      List<FileStatus> files = new ArrayList<>();
      if (fs.getFileStatus(root).isDirectory()) {
        for (FileStatus st : fs.listStatus(root)) {
          String name = st.getPath().getName().toLowerCase(Locale.ROOT);
          if (st.isFile()
              && (name.endsWith(".json") || name.endsWith(".csv") || name.endsWith(".xml"))) {
            files.add(st);
          }
        }
        files.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        if (files.isEmpty()) {
          throw Errors.noInputFiles(location);
        }
      } else {
        files.add(fs.getFileStatus(root));
      }
      List<InputFile> out = new ArrayList<>();
      for (FileStatus st : files) {
        out.add(inspectOne(fs, st, requiredColumns, canonical, known));
      }
      return out;
    } catch (IOException e) {
      throw Errors.failed("cannot read input " + location + ": " + e.getMessage(), e);
    }
  }

  private static InputFile inspectOne(
      FileSystem fs,
      FileStatus st,
      List<String> required,
      Function<String, String> canonical,
      InputFile.KnownChecksums known)
      throws IOException {
    String path = st.getPath().toString();
    byte[] head = readHead(fs, st.getPath());
    String text = new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "");
    String name = st.getPath().getName().toLowerCase(Locale.ROOT);
    boolean binary = text.indexOf('\0') >= 0;
    String trimmed = text.stripLeading();
    boolean looksJson = trimmed.startsWith("{") || trimmed.startsWith("[");
    String checksum = known.of(path, st.getLen(), st.getModificationTime());
    if (checksum == null) {
      checksum = sha256(fs, st.getPath());
    }
    // a file system that reports no time (0) cannot vouch for a file either
    long modified =
        st.getModificationTime() > 0
                && System.currentTimeMillis() - st.getModificationTime() >= InputFile.SETTLED_MILLIS
            ? st.getModificationTime()
            : InputFile.UNSETTLED;
    if (name.endsWith(".xml")) {
      if (binary || !trimmed.startsWith("<")) {
        throw Errors.malformedFile(path, "a .xml file must start with '<'");
      }
      return new InputFile(path, InputFile.XML, st.getLen(), checksum, List.of(), false, modified);
    }
    if (!binary && looksJson && !name.endsWith(".csv")) {
      return new InputFile(path, InputFile.JSON, st.getLen(), checksum, List.of(), false, modified);
    }
    if (name.endsWith(".json")) {
      throw Errors.malformedFile(path, "a .json file must start with '{' or '['");
    }
    if (binary || !(name.endsWith(".csv") || text.contains(","))) {
      throw Errors.unsupportedFormat(path);
    }
    List<String> lines = firstLines(text, 2);
    if (lines.isEmpty()) {
      throw Errors.malformedFile(path, "the file is empty");
    }
    List<String> header = CsvLine.split(lines.get(0));
    List<String> canonicalColumns = new ArrayList<>();
    for (String h : header) {
      canonicalColumns.add(canonical.apply(h.strip()));
    }
    List<String> missing = new ArrayList<>();
    for (String r : required) {
      if (!canonicalColumns.contains(r)) {
        missing.add(r);
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.missingColumns(path, missing, header);
    }
    boolean hxl = lines.size() > 1 && isHxlRow(CsvLine.split(lines.get(1)));
    return new InputFile(
        path, InputFile.CSV, st.getLen(), checksum, canonicalColumns, hxl, modified);
  }

  /** An HXL tag row: every non-empty cell starts with '#', and there is at least one. */
  static boolean isHxlRow(List<String> cells) {
    boolean any = false;
    for (String c : cells) {
      String s = c.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (!s.startsWith("#")) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static List<String> firstLines(String text, int n) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
      String line;
      while (lines.size() < n && (line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static byte[] readHead(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return in.readNBytes(SNIFF_BYTES);
    }
  }

  /** SHA-256 of a file's content, hex. */
  public static String sha256(FileSystem fs, Path p) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = fs.open(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Whether the location is a folder without any file (an optional input that is not used). */
  public static boolean isEmptyFolder(Configuration hadoop, String location) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(hadoop);
      return fs.exists(p) && fs.getFileStatus(p).isDirectory() && fs.listStatus(p).length == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads the whole of a small text file (reference data, mappings). */
  public static BufferedReader open(Configuration hadoop, String location) {
    try {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(hadoop);
      return new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw Errors.inputNotFound(location);
    }
  }
}
