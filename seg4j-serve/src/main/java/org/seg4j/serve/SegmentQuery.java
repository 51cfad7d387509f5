package org.seg4j.serve;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.util.Fields;
import org.seg4j.api.PredictOptions;

/**
 * The query of a segment request: what to answer ({@code output}), the overlay's {@code alpha}, the
 * {@code class} of a probability map, and per-request overrides of the server's tiling and TTA
 * ({@code tile}, {@code overlap}, {@code tta}). A bad value is a 400 naming the parameter and its
 * range.
 *
 * @param output what to answer
 * @param alpha the overlay's opacity, in [0, 1]
 * @param classRef the class of {@code output=prob} (a name or an index), or null for all
 * @param tile the tile side to use, or null for the server's
 * @param overlap the tile overlap to use, or null for the server's
 * @param tta flip TTA on or off, or null for the server's
 */
record SegmentQuery(
    Output output, double alpha, String classRef, Integer tile, Double overlap, Boolean tta) {

  /** What a segment request answers. */
  enum Output {
    MASK,
    VIEW,
    OVERLAY,
    PROB,
    JSON
  }

  private static final Set<String> KNOWN =
      Set.of("output", "alpha", "class", "tile", "overlap", "tta");

  /** Parses a request's query parameters. */
  static SegmentQuery parse(Fields query) {
    for (String name : query.getNames()) {
      if (!KNOWN.contains(name)) {
        throw new HttpError(
            400,
            "unknown query parameter '"
                + name
                + "': use output, alpha, class, tile, overlap or tta");
      }
    }
    Output output = Output.MASK;
    String o = value(query, "output");
    if (o != null) {
      try {
        output = Output.valueOf(o.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new HttpError(
            400, "output=" + o + " is not known: use mask, view, overlay, prob or json");
      }
    }
    double alpha = 0.5;
    String a = value(query, "alpha");
    if (a != null) {
      alpha = number("alpha", a, "a number in [0, 1], e.g. 0.5");
      if (!(alpha >= 0 && alpha <= 1)) {
        throw new HttpError(400, "alpha=" + a + " is out of range: use a number in [0, 1]");
      }
    }
    Integer tile = null;
    String t = value(query, "tile");
    if (t != null) {
      try {
        tile = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        tile = -1;
      }
      if (tile < 0 || tile > 8192) {
        throw new HttpError(
            400, "tile=" + t + " is out of range: use 0 (whole image) or a side up to 8192");
      }
    }
    Double overlap = null;
    String ov = value(query, "overlap");
    if (ov != null) {
      overlap = number("overlap", ov, "a fraction in [0, 1), e.g. 0.25");
      if (!(overlap >= 0 && overlap < 1)) {
        throw new HttpError(400, "overlap=" + ov + " is out of range: use a fraction in [0, 1)");
      }
    }
    Boolean tta = null;
    String tt = value(query, "tta");
    if (tt != null) {
      if (!List.of("true", "false").contains(tt.toLowerCase(Locale.ROOT))) {
        throw new HttpError(400, "tta=" + tt + " is not a switch: use true or false");
      }
      tta = Boolean.parseBoolean(tt);
    }
    return new SegmentQuery(output, alpha, value(query, "class"), tile, overlap, tta);
  }

  private static String value(Fields query, String name) {
    Fields.Field f = query.get(name);
    if (f == null) {
      return null;
    }
    if (f.getValues().size() > 1) {
      throw new HttpError(400, "the query gives " + name + " more than once: give it once");
    }
    return f.getValue();
  }

  private static double number(String name, String value, String range) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + "=" + value + " is not a number: use " + range);
    }
  }

  /** Whether the request overrides the server's predict options. */
  boolean overrides() {
    return tile != null || overlap != null || tta != null;
  }

  /** The server's options with this request's overrides, or null when it has none. */
  PredictOptions options(PredictOptions server) {
    if (!overrides()) {
      return null;
    }
    return PredictOptions.builder()
        .tile(tile != null ? tile : server.tile())
        .overlap(overlap != null ? overlap : server.overlap())
        .blend(server.blend())
        .flipTta(tta != null ? tta : server.flipTta())
        .tileBatch(server.tileBatch())
        .threshold(server.threshold())
        .build();
  }

  /** The class index {@code classRef} names among {@code names}; 400 when it names none. */
  static int classIndex(String classRef, List<String> names) {
    int i = names.indexOf(classRef);
    if (i >= 0) {
      return i;
    }
    try {
      int k = Integer.parseInt(classRef);
      if (k >= 0 && k < names.size()) {
        return k;
      }
    } catch (NumberFormatException e) {
      // not an index: fall through to the error
    }
    throw new HttpError(
        400,
        "class="
            + classRef
            + " is not a class of this model: use a name ("
            + String.join(", ", names)
            + ") or an index 0.."
            + (names.size() - 1));
  }
}
