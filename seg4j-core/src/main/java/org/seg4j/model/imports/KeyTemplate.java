package org.seg4j.model.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state_dict key pattern such as {@code up{i}.conv.double_conv.{n}.{leaf}}: a placeholder {@code
 * {name}} stands for a number, {@code {name-1}} (or {@code +k}) for that number shifted, and {@code
 * {leaf}} for a tensor name ({@code weight}, {@code running_mean}...). Two templates with the same
 * placeholders make a rule that maps keys both ways.
 */
final class KeyTemplate {
  private static final Pattern HOLE = Pattern.compile("\\{([a-z]+)([+-]\\d+)?}");
  private static final String LEAF = "leaf";

  private final String text;
  private final Pattern regex;
  private final List<String> names = new ArrayList<>();
  private final List<Integer> offsets = new ArrayList<>();

  KeyTemplate(String text) {
    this.text = text;
    StringBuilder re = new StringBuilder();
    Matcher m = HOLE.matcher(text);
    int at = 0;
    while (m.find()) {
      re.append(Pattern.quote(text.substring(at, m.start())));
      re.append(m.group(1).equals(LEAF) ? "([A-Za-z_]+)" : "(\\d+)");
      names.add(m.group(1));
      offsets.add(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
      at = m.end();
    }
    re.append(Pattern.quote(text.substring(at)));
    regex = Pattern.compile(re.toString());
  }

  /** The placeholders' values in {@code key} (offsets undone), or null when it does not match. */
  Map<String, String> match(String key) {
    Matcher m = regex.matcher(key);
    if (!m.matches()) {
      return null;
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String v = m.group(i + 1);
      vars.put(
          names.get(i),
          names.get(i).equals(LEAF) ? v : String.valueOf(Integer.parseInt(v) - offsets.get(i)));
    }
    return vars;
  }

  /** The key for the given placeholder values (offsets applied). */
  String render(Map<String, String> vars) {
    StringBuilder sb = new StringBuilder();
    Matcher m = HOLE.matcher(text);
    int at = 0;
    int i = 0;
    while (m.find()) {
      sb.append(text, at, m.start());
      String v = vars.get(names.get(i));
      sb.append(
          names.get(i).equals(LEAF) ? v : String.valueOf(Integer.parseInt(v) + offsets.get(i)));
      at = m.end();
      i++;
    }
    return sb.append(text.substring(at)).toString();
  }
}
