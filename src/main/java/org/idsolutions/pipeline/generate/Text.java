package org.idsolutions.pipeline.generate;

/** Quoting for the CSV and JSON the generator writes. */
final class Text {
  private Text() {}

  /**
   * A CSV cell, quoted (with doubled quotes) only where the separator, a quote or a line end is in
   * it.
   */
  static String csv(String value, char separator) {
    if (value == null) {
      return "";
    }
    boolean quote =
        value.indexOf(separator) >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  /** A CSV cell, always quoted. */
  static String quoted(String value) {
    return value == null ? "\"\"" : '"' + value.replace("\"", "\"\"") + '"';
  }

  /** A JSON string literal, or null. */
  static String json(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
