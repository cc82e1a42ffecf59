package org.idsolutions.pipeline.errors;

import java.util.Collection;

/**
 * The catalogue of user-facing errors: one factory per situation, each message says what to fix.
 */
public final class Errors {
  private Errors() {}

  public static PipelineException configFileNotFound(String file) {
    return usage("config file " + file + " not found: pass an existing file with --conf");
  }

  public static PipelineException configUnreadable(String file, String detail) {
    return usage("config file " + file + " is not valid YAML (" + detail + "): fix the syntax");
  }

  public static PipelineException unknownConfigKey(
      String source, String key, Collection<String> known) {
    return usage(
        source
            + ": unknown config key '"
            + key
            + "': remove it or use one of "
            + String.join(", ", known));
  }

  public static PipelineException badConfigValue(String source, String key, String problem) {
    return usage(source + ": config key '" + key + "' " + problem);
  }

  public static PipelineException inputNotFound(String path) {
    return usage(
        "input " + path + " does not exist: check the path (--input or inputs.* in the config)");
  }

  public static PipelineException noInputFiles(String path) {
    return usage("input " + path + " holds no .json or .csv file: point --input at tracking files");
  }

  public static PipelineException unsupportedFormat(String path) {
    return usage(
        "input "
            + path
            + " is neither JSON nor CSV (by name and content): give a DTM API .json or a .csv export");
  }

  public static PipelineException malformedFile(String path, String detail) {
    return failed(
        "input " + path + " cannot be parsed: " + detail + "; fix or remove the file", null);
  }

  public static PipelineException missingColumns(
      String path, Collection<String> missing, Collection<String> found) {
    return failed(
        "input "
            + path
            + " lacks required columns "
            + missing
            + " (found "
            + found
            + "): export the file with the DTM field names",
        null);
  }

  public static PipelineException apiFailure(String path, String message) {
    return failed(
        "input "
            + path
            + " is a DTM API response with isSuccess=false ("
            + message
            + "): download it again",
        null);
  }

  public static PipelineException referenceInvalid(String path, String detail) {
    return usage("reference file " + path + " " + detail + ": fix the file or inputs.admin-units");
  }

  public static PipelineException qualityGate(String path, double share, double max) {
    return new PipelineException(
        ExitCode.QUALITY_GATE,
        String.format(
            "input %s: %.1f%% of rows quarantined, above quality.max-reject-share %.1f%%: "
                + "see quarantine.rejected_rows, fix the file and re-run",
            path, share * 100, max * 100),
        null);
  }

  public static PipelineException notAQuery(String statement) {
    return usage(
        "only queries (SELECT, WITH, VALUES, TABLE, FROM, SHOW, DESCRIBE) are allowed, not: "
            + abbreviate(statement)
            + ": the lakehouse is changed by pipeline commands only");
  }

  public static PipelineException queryFailed(String detail) {
    return usage("query failed: " + firstLine(detail));
  }

  public static PipelineException usage(String message) {
    return new PipelineException(ExitCode.USAGE, message, null);
  }

  public static PipelineException failed(String message, Throwable cause) {
    return new PipelineException(ExitCode.FAILED, message, cause);
  }

  public static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text.strip() : text.substring(0, nl).strip();
  }

  private static String abbreviate(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }
}
