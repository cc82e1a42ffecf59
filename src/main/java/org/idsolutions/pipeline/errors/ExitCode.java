package org.idsolutions.pipeline.errors;

/** Process exit codes of every command (DESIGN 8). */
public enum ExitCode {
  OK(0),
  /** The job failed: bad file content, a Spark or storage error. */
  FAILED(1),
  /**
   * Bad usage or configuration: unknown option or key, missing input path, unsupported file type.
   */
  USAGE(2),
  /** The data-quality gate failed: too large a share of rows was quarantined. */
  QUALITY_GATE(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
