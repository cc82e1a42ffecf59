package org.idsolutions.pipeline.errors;

/**
 * An error the person running the job can act on: a one-line message that names the file, row or
 * key and says what to do, plus the exit code. Build instances through {@link Errors} so every
 * message lives in one place.
 */
public final class PipelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  PipelineException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
