package org.idsolutions.pipeline.lakehouse.localfs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * The {@code file:} FileSystem (set as {@code spark.hadoop.fs.file.impl}): Hadoop's checksummed
 * local file system over {@link NoForkRawLocalFileSystem}.
 */
public class NoForkLocalFileSystem extends LocalFileSystem {
  public NoForkLocalFileSystem() {
    super(new NoForkRawLocalFileSystem());
  }
}
