package org.idsolutions.pipeline.lakehouse;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** A small builder for table schemas whose every column carries a comment. */
public final class Columns {
  private StructType schema = new StructType();

  public static Columns of() {
    return new Columns();
  }

  /** A nullable column. */
  public Columns add(String name, DataType type, String comment) {
    return add(name, type, true, comment);
  }

  /** A NOT NULL column (enforced by Delta). */
  public Columns required(String name, DataType type, String comment) {
    return add(name, type, false, comment);
  }

  private Columns add(String name, DataType type, boolean nullable, String comment) {
    Metadata meta = new MetadataBuilder().putString("comment", comment).build();
    schema = schema.add(new StructField(name, type, nullable, meta));
    return this;
  }

  public StructType build() {
    return schema;
  }
}
