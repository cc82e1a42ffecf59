package org.idsolutions.pipeline.conform.admin;

import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/** Match keys for admin units, as Spark expressions (no UDF). */
public final class AdminKeys {
  /** Accented letters and, at the same positions in {@link #PLAIN}, their plain letters. */
  static final String ACCENTED = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįıñńňòóôõöøōőùúûüūůűųýÿžźżśšşţťŕřł";

  static final String PLAIN = "aaaaaaaaacccddeeeeeeeeiiiiiiinnnoooooooouuuuuuuuyyzzzsssttrrl";

  static {
    if (ACCENTED.length() != PLAIN.length()) {
      throw new IllegalStateException("accent table misaligned");
    }
  }

  private AdminKeys() {}

  /**
   * A name reduced for matching: lower case, accents removed, everything but letters and digits
   * dropped ("Askira/Uba", "ASKIRA-UBA" and "askira uba" all give "askirauba"). Empty becomes null.
   */
  public static Column nameKey(Column name) {
    Column key = regexp_replace(translate(lower(trim(name)), ACCENTED, PLAIN), "[^a-z0-9]", "");
    return when(key.notEqual(""), key);
  }

  /** The p-code as given, trimmed; empty becomes null. */
  public static Column code(Column pcode) {
    Column c = trim(pcode);
    return when(c.notEqual(""), c);
  }

  /**
   * The digits of a p-code made of a short letter prefix and digits ({@code TD07} and {@code TCD07}
   * both give {@code 07}); null when the code has another shape. Within one country and level this
   * finds a unit whose code differs only in the prefix or case.
   */
  public static Column codeDigits(Column pcode) {
    Column d = regexp_extract(upper(trim(pcode)), "^[A-Z]{0,3}([0-9]+)$", 1);
    return when(d.notEqual(""), d);
  }
}
