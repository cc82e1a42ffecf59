package org.idsolutions.pipeline.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.idsolutions.pipeline.errors.Errors;

/**
 * The synthetic map the generator draws on: real country codes (from the countries table the
 * pipeline reads), invented admin 1 and admin 2 units with OCHA-shaped p-codes ({@code AFG05},
 * {@code AFG05012}) and invented names that stay unique within their parent once normalised.
 */
final class Geography {
  record Country(String iso2, String iso3, String name, List<Admin1> admin1) {}

  record Admin1(String pcode, String name, List<Admin2> admin2) {}

  record Admin2(String pcode, String name, String parent) {}

  private static final String[] SYLLABLES = {
    "ka", "lu", "mba", "no", "ri", "sa", "to", "we", "za", "di", "go", "ha", "ji", "ko", "ma", "ne",
    "pe", "ru", "si", "ta", "bu", "fe", "gu", "la"
  };

  private static final String[] ACCENTED = {"é", "è", "ô", "ï"};

  final List<Country> countries;

  private Geography(List<Country> countries) {
    this.countries = countries;
  }

  /**
   * Spreads {@code admin2Units} units over the first countries of the table, about 400 a country,
   * at most every country in the table.
   */
  static Geography build(Path countriesCsv, int admin2Units, SplittableRandom rng) {
    List<String[]> table = readCountries(countriesCsv);
    int n = Math.max(1, Math.min(table.size(), (int) Math.ceil(admin2Units / 400.0)));
    List<Country> out = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      String[] row = table.get(c);
      int units = admin2Units / n + (c < admin2Units % n ? 1 : 0);
      int admin1Count = Math.max(2, Math.min(36, Math.round(units / 25f)));
      SplittableRandom r = rng.split();
      List<Admin1> admin1 = new ArrayList<>();
      Set<String> a1Keys = new HashSet<>();
      int[] sizes = spread(units, admin1Count, r);
      for (int a = 0; a < admin1Count; a++) {
        String a1Code = row[1] + String.format(Locale.ROOT, "%02d", a + 1);
        String a1Name = uniqueName(r, a1Keys, 2);
        List<Admin2> admin2 = new ArrayList<>();
        Set<String> a2Keys = new HashSet<>();
        for (int b = 0; b < sizes[a]; b++) {
          String a2Code = a1Code + String.format(Locale.ROOT, "%03d", b + 1);
          admin2.add(new Admin2(a2Code, uniqueName(r, a2Keys, 2 + r.nextInt(2)), a1Code));
        }
        admin1.add(new Admin1(a1Code, a1Name, admin2));
      }
      out.add(new Country(row[0], row[1], row[2], admin1));
    }
    return new Geography(out);
  }

  /** Splits {@code total} into {@code parts} positive sizes that vary by up to a factor of 3. */
  private static int[] spread(int total, int parts, SplittableRandom r) {
    double[] w = new double[parts];
    double sum = 0;
    for (int i = 0; i < parts; i++) {
      w[i] = 1 + 2 * r.nextDouble();
      sum += w[i];
    }
    int[] sizes = new int[parts];
    int used = 0;
    for (int i = 0; i < parts; i++) {
      sizes[i] = Math.max(1, (int) Math.floor(total * w[i] / sum));
      used += sizes[i];
    }
    for (int i = 0; used < total; i = (i + 1) % parts, used++) {
      sizes[i]++;
    }
    return sizes;
  }

  /** A made-up place name, unique within its parent after the matcher's normalisation. */
  private static String uniqueName(SplittableRandom r, Set<String> taken, int syllables) {
    for (int attempt = 0; ; attempt++) {
      StringBuilder b = new StringBuilder();
      int n = syllables + attempt / 20;
      for (int i = 0; i < n; i++) {
        b.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
      }
      String word = Character.toUpperCase(b.charAt(0)) + b.substring(1);
      if (r.nextInt(10) == 0) {
        word = word.substring(0, word.length() - 1) + ACCENTED[r.nextInt(ACCENTED.length)];
      }
      String name = r.nextInt(6) == 0 ? word + " " + (r.nextBoolean() ? "Nord" : "Sud") : word;
      if (taken.add(key(name))) {
        return name;
      }
    }
  }

  /** The matcher's name key, closely enough for uniqueness: lower case, letters and digits. */
  static String key(String name) {
    String plain =
        java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "");
    return plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  private static List<String[]> readCountries(Path file) {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      if (line == null || !line.replace("\uFEFF", "").startsWith("iso2,iso3,name")) {
        throw Errors.usage(file + " must start with the header iso2,iso3,name");
      }
      while ((line = r.readLine()) != null) {
        String[] cells = line.split(",", 3);
        if (cells.length == 3) {
          rows.add(new String[] {cells[0].strip(), cells[1].strip(), cells[2].strip()});
        }
      }
    } catch (IOException e) {
      throw Errors.usage("cannot read the countries table " + file + ": " + e.getMessage());
    }
    if (rows.isEmpty()) {
      throw Errors.usage(file + " lists no country");
    }
    return rows;
  }

  /** Writes the admin-units reference in the OCHA layout, with its HXL row. */
  void writeAdminUnits(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("Location,Admin Level,P-Code,Name,Parent P-Code,Valid from date\n");
      w.write("#country+code,#geo+admin_level,#adm+code,#adm+name,#adm+code+parent,#date+start\n");
      for (Country c : countries) {
        for (Admin1 a : c.admin1()) {
          w.write(c.iso3() + ",1," + a.pcode() + "," + a.name() + "," + c.iso3() + ",2020-01-01\n");
        }
        for (Admin1 a : c.admin1()) {
          for (Admin2 b : a.admin2()) {
            w.write(
                c.iso3() + ",2," + b.pcode() + "," + b.name() + "," + a.pcode() + ",2020-01-01\n");
          }
        }
      }
    }
  }
}
