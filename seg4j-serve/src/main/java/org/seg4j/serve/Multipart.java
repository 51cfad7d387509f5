package org.seg4j.serve;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small {@code multipart/form-data} reader (RFC 7578) over a body already in memory: finds the
 * part named {@code image}, else the first part that carries a file name.
 */
final class Multipart {
  private static final Pattern BOUNDARY =
      Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("(?i)[;\\s]name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");

  private Multipart() {}

  /**
   * One part.
   *
   * @param name its form field name, or null
   * @param file whether it carries a file name
   * @param contentType its {@code Content-Type}, or null
   * @param body its bytes
   */
  record Part(String name, boolean file, String contentType, byte[] body) {}

  /** The image part of a body of this {@code Content-Type}; 400 when there is none. */
  static Part imagePart(byte[] body, String contentType) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw new HttpError(
          400, "the multipart/form-data Content-Type has no boundary: send a well-formed form");
    }
    byte[] delimiter =
        ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.UTF_8);
    Part firstFile = null;
    int pos = indexOf(body, delimiter, 0);
    while (pos >= 0) {
      int start = pos + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
      int next =
          indexOf(
              body,
              ("\r\n" + new String(delimiter, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8),
              start);
      if (headersEnd < 0 || next < 0 || headersEnd > next) {
        break;
      }
      Part p =
          part(
              new String(body, start, headersEnd - start, StandardCharsets.UTF_8),
              body,
              headersEnd + 4,
              next);
      if ("image".equals(p.name())) {
        return p;
      }
      if (firstFile == null && p.file()) {
        firstFile = p;
      }
      pos = next + 2;
    }
    if (firstFile != null) {
      return firstFile;
    }
    throw new HttpError(
        400,
        "the multipart/form-data body has no part named 'image' and no file part: send the"
            + " image as the form field 'image'");
  }

  private static Part part(String headers, byte[] body, int from, int to) {
    String name = null;
    boolean file = false;
    String type = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (key.equals("content-disposition")) {
        Matcher n = NAME.matcher(value);
        name = n.find() ? n.group(1) : null;
        file = FILENAME.matcher(value).find();
      } else if (key.equals("content-type")) {
        type = value;
      }
    }
    byte[] bytes = new byte[to - from];
    System.arraycopy(body, from, bytes, 0, bytes.length);
    return new Part(name, file, type, bytes);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
