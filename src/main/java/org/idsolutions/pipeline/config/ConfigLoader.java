package org.idsolutions.pipeline.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Loads {@link PipelineConfig} with the precedence CLI option &gt; environment variable &gt; config
 * file &gt; documented default ({@code defaults.yaml} on the class path). Every key of the defaults
 * can be set from the environment as {@code SOLUTIONS_} + the key in upper case with dots and
 * dashes as underscores, e.g. {@code SOLUTIONS_LAKEHOUSE_ROOT}; list values there are
 * comma-separated. Unknown keys and badly typed values are usage errors that name the key.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "SOLUTIONS_";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /** The YAML mapper every config file is read with: kebab-case keys, unknown keys refused. */
  static ObjectMapper yaml() {
    return YAML;
  }

  /**
   * Binds one YAML file to a type; unknown keys and bad values are usage errors that name the key.
   */
  static <T> T bindFile(Path file, Class<T> type) {
    if (!Files.isRegularFile(file)) {
      throw Errors.configFileNotFound(file.toString());
    }
    JsonNode tree = readYaml(file);
    try {
      return YAML.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      for (Object k : e.getKnownPropertyIds()) {
        known.add(String.valueOf(k));
      }
      throw Errors.unknownConfigKey(file.toString(), dotted(e), known);
    } catch (JsonMappingException e) {
      throw Errors.badConfigValue(
          file.toString(),
          dotted(e),
          "has a value of the wrong type: " + Errors.firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw Errors.configUnreadable(file.toString(), Errors.firstLine(e.getOriginalMessage()));
    }
  }

  /**
   * @param file the YAML file, or null for defaults only
   * @param env environment variables (System.getenv() in production)
   * @param cliOverrides dotted keys set on the command line, e.g. {@code lakehouse.root}
   */
  public static PipelineConfig load(
      Path file, Map<String, String> env, Map<String, String> cliOverrides) {
    ObjectNode tree = defaults();
    List<String> knownKeys = leafKeys(tree, "");
    String source = "defaults";
    if (file != null) {
      source = file.toString();
      if (!Files.isRegularFile(file)) {
        throw Errors.configFileNotFound(file.toString());
      }
      JsonNode fileTree = readYaml(file);
      if (fileTree != null && !fileTree.isMissingNode() && !fileTree.isNull()) {
        if (!fileTree.isObject()) {
          throw Errors.configUnreadable(file.toString(), "the top level must be a mapping");
        }
        merge(tree, (ObjectNode) fileTree, "", source, knownKeys);
      }
    }
    for (String key : knownKeys) {
      String value = env.get(envName(key));
      if (value != null) {
        set(tree, key, value, "environment variable " + envName(key));
      }
    }
    for (Map.Entry<String, String> e : cliOverrides.entrySet()) {
      if (!knownKeys.contains(e.getKey()) && !e.getKey().startsWith("spark.conf.")) {
        throw Errors.unknownConfigKey("command line", e.getKey(), knownKeys);
      }
      set(tree, e.getKey(), e.getValue(), "command line");
    }
    PipelineConfig config = bind(tree, source, knownKeys);
    validate(config, source);
    return config;
  }

  /** The environment variable that sets a dotted key. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Every settable key of the defaults (maps with free keys such as spark.conf count as one key).
   */
  public static List<String> knownKeys() {
    return leafKeys(defaults(), "");
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/defaults.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("defaults.yaml missing from the class path", e);
    }
  }

  private static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw Errors.configUnreadable(file.toString(), Errors.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw Errors.configUnreadable(file.toString(), e.getMessage());
    }
  }

  private static boolean isFreeMap(String key) {
    return key.equals("spark.conf") || key.equals("tracking.reason-groups");
  }

  private static List<String> leafKeys(ObjectNode node, String prefix) {
    List<String> keys = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      if (e.getValue().isObject() && !isFreeMap(key)) {
        keys.addAll(leafKeys((ObjectNode) e.getValue(), key + "."));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  private static void merge(
      ObjectNode target, ObjectNode overlay, String prefix, String source, List<String> known) {
    for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode current = target.get(e.getKey());
      if (current == null) {
        throw Errors.unknownConfigKey(source, key, known);
      }
      if (current.isObject() && e.getValue().isObject()) {
        if (isFreeMap(key)) {
          ((ObjectNode) current).setAll((ObjectNode) e.getValue());
        } else {
          merge((ObjectNode) current, (ObjectNode) e.getValue(), key + ".", source, known);
        }
      } else {
        target.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void set(ObjectNode tree, String key, String value, String source) {
    String[] parts = key.split("\\.");
    ObjectNode node = tree;
    int last = parts.length - 1;
    if (key.startsWith("spark.conf.")) {
      ((ObjectNode) tree.get("spark").get("conf"))
          .put(key.substring("spark.conf.".length()), value);
      return;
    }
    for (int i = 0; i < last; i++) {
      node = (ObjectNode) node.get(parts[i]);
    }
    JsonNode current = node.get(parts[last]);
    if (current != null && current.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          array.add(item.strip());
        }
      }
      node.set(parts[last], array);
    } else if (current != null && current.isObject()) {
      throw Errors.badConfigValue(source, key, "is a mapping and cannot be set from " + source);
    } else {
      node.put(parts[last], value);
    }
  }

  private static PipelineConfig bind(ObjectNode tree, String source, List<String> known) {
    try {
      return YAML.treeToValue(tree, PipelineConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw Errors.unknownConfigKey(source, dotted(e), known);
    } catch (JsonMappingException e) {
      throw Errors.badConfigValue(
          source,
          dotted(e),
          "has a value of the wrong type: " + Errors.firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw Errors.configUnreadable(source, Errors.firstLine(e.getOriginalMessage()));
    }
  }

  private static String dotted(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      }
    }
    return sb.toString();
  }

  private static void validate(PipelineConfig c, String source) {
    if (c.lakehouse().root() == null || c.lakehouse().root().isBlank()) {
      throw Errors.badConfigValue(
          source, "lakehouse.root", "is empty: give a folder or storage URI");
    }
    if (c.tracking().staleAfterMonths() < 1) {
      throw Errors.badConfigValue(source, "tracking.stale-after-months", "must be at least 1");
    }
    if (c.tracking().admin2Tolerance() < 0 || c.tracking().admin2Tolerance() > 1) {
      throw Errors.badConfigValue(source, "tracking.admin2-tolerance", "must be between 0 and 1");
    }
    if (c.quality().maxRejectShare() < 0 || c.quality().maxRejectShare() > 1) {
      throw Errors.badConfigValue(source, "quality.max-reject-share", "must be between 0 and 1");
    }
    try {
      LocalDate.parse(c.tracking().minReportDate());
    } catch (DateTimeParseException | NullPointerException e) {
      throw Errors.badConfigValue(
          source, "tracking.min-report-date", "must be a date like 2000-01-01");
    }
    if (c.suppression().minRespondents() < 1
        || c.suppression().lowPrecisionRespondents() < c.suppression().minRespondents()) {
      throw Errors.badConfigValue(
          source,
          "suppression.min-respondents",
          "must be at least 1 and not above suppression.low-precision-respondents");
    }
    if (c.surveys().confidenceLevel() <= 0 || c.surveys().confidenceLevel() >= 1) {
      throw Errors.badConfigValue(source, "surveys.confidence-level", "must be between 0 and 1");
    }
    validatePublish(c.publish(), source);
    Map<String, List<String>> groups = new LinkedHashMap<>(c.tracking().reasonGroups());
    groups.keySet().removeAll(List.of("conflict", "disaster"));
    if (!groups.isEmpty()) {
      throw Errors.badConfigValue(
          source,
          "tracking.reason-groups",
          "may only list 'conflict' and 'disaster' (anything else is 'other'), found "
              + groups.keySet());
    }
  }

  /** A PostgreSQL name publish puts in its statements: unquoted, lower case, at most 63 bytes. */
  private static final Pattern SQL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private static void validatePublish(PipelineConfig.PublishSettings p, String source) {
    if (p.url() == null || !p.url().startsWith("jdbc:postgresql:")) {
      throw Errors.badConfigValue(
          source,
          "publish.url",
          "must be a PostgreSQL JDBC URL like jdbc:postgresql://host:5432/database");
    }
    if (p.user() == null || p.user().isBlank()) {
      throw Errors.badConfigValue(source, "publish.user", "is empty: give the role to log in as");
    }
    for (String[] name :
        new String[][] {{"publish.schema", p.schema()}, {"publish.reader-role", p.readerRole()}}) {
      if (name[1] == null || !SQL_NAME.matcher(name[1]).matches()) {
        throw Errors.badConfigValue(
            source,
            name[0],
            "must be a lower-case name of letters, digits and _ (at most 63), like solutions");
      }
    }
    if (p.schema().length() > 55) {
      // <schema>_staging must fit PostgreSQL's 63 bytes, or it would be cut to the schema's name
      throw Errors.badConfigValue(source, "publish.schema", "must be at most 55 characters long");
    }
    if (p.batchSize() < 1 || p.lockTimeoutSeconds() < 1) {
      throw Errors.badConfigValue(
          source,
          p.batchSize() < 1 ? "publish.batch-size" : "publish.lock-timeout-seconds",
          "must be at least 1");
    }
    if (p.schema().equals("public") || p.schema().startsWith("pg_")) {
      throw Errors.badConfigValue(
          source, "publish.schema", "must be a schema of its own, not public or pg_*");
    }
  }
}
