package org.seg4j.io;

import java.util.List;

/** Lists in words for messages: {@code "adam, adamw or sgd"}. */
public final class Words {
  private Words() {}

  /** The items joined by commas, the last by "or": {@code [a, b, c]} gives {@code "a, b or c"}. */
  public static String either(List<String> items) {
    int n = items.size();
    if (n <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, n - 1)) + " or " + items.get(n - 1);
  }
}
