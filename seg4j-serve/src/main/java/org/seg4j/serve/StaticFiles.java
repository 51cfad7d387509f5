package org.seg4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page's files, from a fixed list of classpath resources under {@code
 * org/seg4j/serve/web/}: a request path only selects an entry of the list, never names a resource
 * or a file. Read once, when the server starts.
 */
final class StaticFiles {
  /** A file to serve: its bytes and media type. */
  record File(byte[] bytes, String contentType) {}

  private static final Map<String, String[]> LIST =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/static/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/static/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

  private final Map<String, File> files;

  StaticFiles() {
    Map<String, File> m = new java.util.HashMap<>();
    for (Map.Entry<String, String[]> e : LIST.entrySet()) {
      byte[] bytes = resource(e.getValue()[0]);
      if (bytes != null) {
        m.put(e.getKey(), new File(bytes, e.getValue()[1]));
      }
    }
    this.files = Map.copyOf(m);
  }

  /** Whether {@code path} is one of the web page's paths. */
  static boolean serves(String path) {
    return LIST.containsKey(path);
  }

  /** The file for {@code path}; 404 when this build lacks it. */
  File get(String path) {
    File f = files.get(path);
    if (f == null) {
      throw new HttpError(
          404, "no " + path + " in this build of seg4j serve: the web page is missing");
    }
    return f;
  }

  private static byte[] resource(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("web/" + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
