package org.seg4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Which part of seg4j wrote a PNG: every PNG seg4j writes carries a {@code tEXt} chunk {@code
 * Software} = {@code seg4j <what>}. Predictions and report images are seg4j's own outputs, which
 * {@code seg4j predict} does not take as inputs when it lists a folder; generated data and
 * augmented images are inputs like any other.
 */
public final class Provenance {
  /** seg4j's version, as {@code seg4j --version} prints it and exported models record it. */
  public static final String VERSION = "0.1.0";

  /** The PNG text keyword that holds the marker. */
  public static final String KEYWORD = "Software";

  /** Images seg4j writes as data (synthetic sets, copies): inputs like any other. */
  public static final String DATA = "seg4j";

  /** Images made by {@code seg4j augment}: training inputs. */
  public static final String AUGMENT = "seg4j augment";

  /** Masks, overlays, cut-outs and probability maps made by {@code seg4j predict}. */
  public static final String PREDICTION = "seg4j predict";

  /** Charts and panels of reports ({@code eval}, {@code augment --preview}, training curves). */
  public static final String REPORT = "seg4j report";

  private Provenance() {}

  /** Whether a marker names one of seg4j's outputs (a prediction or a report image). */
  public static boolean isOutput(String marker) {
    return marker != null && (marker.startsWith(PREDICTION) || marker.startsWith(REPORT));
  }

  /**
   * The marker of a PNG file, or null when it has none or is not a readable PNG (only the chunks
   * before the pixel data are read).
   */
  public static String of(Path png) {
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        if (!reader.getFormatName().equalsIgnoreCase("png")) {
          return null;
        }
        reader.setInput(in, true, false);
        return marker(reader.getImageMetadata(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: the caller's read says why
    }
  }

  private static String marker(IIOMetadata metadata) {
    if (metadata == null) {
      return null;
    }
    Node root = metadata.getAsTree("javax_imageio_png_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!n.getNodeName().equals("tEXt")) {
        continue;
      }
      for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
        Node key = e.getAttributes().getNamedItem("keyword");
        Node value = e.getAttributes().getNamedItem("value");
        if (key != null && value != null && KEYWORD.equals(key.getNodeValue())) {
          return value.getNodeValue();
        }
      }
    }
    return null;
  }
}
