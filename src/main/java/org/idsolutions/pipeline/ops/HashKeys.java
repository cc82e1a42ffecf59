package org.idsolutions.pipeline.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.idsolutions.pipeline.errors.Errors;
import org.idsolutions.pipeline.lakehouse.Lakehouse;

/**
 * The key of the household-id hash (DESIGN 9): from the environment variable {@value #ENV}; for
 * runs without it, a random key created once in the lakehouse's private folder ({@code
 * _private/household-id.key}, owner-only permissions) and reused, so ids stay stable across runs.
 * Never in code or config files.
 */
public final class HashKeys {
  public static final String ENV = "SOLUTIONS_HASH_KEY";
  static final String FILE = "_private/household-id.key";

  private HashKeys() {}

  public static String key(Lakehouse lh, Configuration hadoop, String fromEnv) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    Path path = new Path(Lakehouse.join(lh.root(), FILE));
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path)) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        fs.mkdirs(path.getParent(), new FsPermission((short) 0700));
        fs.setPermission(path.getParent(), new FsPermission((short) 0700));
        try (OutputStream out = fs.create(path, false)) {
          out.write(HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII));
        }
        fs.setPermission(path, new FsPermission((short) 0600));
      }
      try (InputStream in = fs.open(path)) {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      }
    } catch (IOException e) {
      throw Errors.failed(
          "cannot create or read the household-id key "
              + path
              + " ("
              + e.getMessage()
              + "): set "
              + ENV,
          e);
    }
  }
}
