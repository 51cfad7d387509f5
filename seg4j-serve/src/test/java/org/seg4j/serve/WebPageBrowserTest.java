package org.seg4j.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.seg4j.api.Device;
import org.seg4j.api.Segmenter;
import org.seg4j.api.Training;
import org.seg4j.data.SyntheticShapes;

/**
 * The web page at {@code /} in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}), against a server on a free port with a tiny 4-class run trained here: upload
 * an image, see the overlay drawn as the server's overlay is, move the opacity slider, switch
 * modes, read the legend, download the mask and compare it with {@code predict}'s; a file that is
 * not an image shows the server's sentence. Without the browser the test is skipped, except in CI
 * (env {@code CI} set), where it fails.
 *
 * <p>{@code -Dseg4j.screenshot=PATH} also saves a screenshot of the page with a result (for the
 * README), of the test's run and image or of {@code -Dseg4j.screenshot.run=RUN_DIR} and {@code
 * -Dseg4j.screenshot.image=IMG}.
 */
class WebPageBrowserTest {
  // Debian's paths; -Dseg4j.chromium=... and -Dseg4j.chromedriver=... elsewhere
  static final Path CHROMIUM = Path.of(System.getProperty("seg4j.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("seg4j.chromedriver", "/usr/bin/chromedriver"));
  static final Duration WAIT = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  // Selenium warns that it has no DevTools (CDP) module for this Chromium; the test uses none
  static final Logger CDP_WARNINGS = Logger.getLogger("org.openqa.selenium.devtools");

  @TempDir static Path tmp;
  static Path run;
  static Path image;
  static Path downloads;
  static SegServer server;
  static ChromeDriverService service;
  static ChromeDriver driver;
  static JsonNode model;

  @BeforeAll
  static void trainServeAndOpenTheBrowser() throws Exception {
    requireTheBrowser();
    Path data = tmp.resolve("data");
    new SyntheticShapes(48, true, 7).write(data, 12);
    run = tmp.resolve("runs/shapes");
    Training.builder()
        .dataRoot(data)
        .maskEncoding("index")
        .trainSplit("0..9")
        .valSplit("10..11")
        .set("data.image_pattern", "synth_{id}.png")
        .set("data.mask_pattern", "synth_{id}.png")
        .set("loss.class_weights", "auto") // else 4 epochs predict background only
        .classes(4)
        .base(4)
        .modelOption("depth", "2")
        .epochs(4)
        .batch(2)
        .lr(0.01)
        .device(Device.CPU)
        .threads(2)
        .seed(3)
        .run(run);
    image = mostVariedImage(data.resolve("images"));
    server = SegServer.start(ServeConfig.of(Map.of("shapes", run)).withPort(0));
    server.awaitReady(Duration.ofSeconds(60));
    model = JSON.readTree(get("v1/models/shapes"));
    downloads = Files.createDirectories(tmp.resolve("downloads"));
    driver = chrome(downloads, Files.createDirectories(tmp.resolve("profile")));
  }

  @AfterAll
  static void close() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Without Chromium the test is skipped on a desk and fails in CI, naming what to install. */
  static void requireTheBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String why =
        "the web page's browser test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + ": apt-get install -y chromium chromium-driver";
    if (System.getenv("CI") != null) {
      Assertions.fail("CI is set and " + why);
    }
    // surefire counts no skipped test when @BeforeAll aborts: say it in the build's output
    System.err.println("WebPageBrowserTest skipped: " + why);
    Assumptions.abort(why);
  }

  static ChromeDriver chrome(Path downloadDir, Path profile) {
    // both paths explicit: Selenium Manager never looks for (or downloads) a browser or driver
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    CDP_WARNINGS.setLevel(Level.SEVERE);
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloadDir.toString());
    prefs.put("download.prompt_for_download", false);
    prefs.put("download.directory_upgrade", true);
    o.setExperimentalOption("prefs", prefs);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    // (not ChromeDriverService.Builder: its @AutoService, absent here, is a javac warning)
    service = ChromeDriverService.createDefaultService();
    service.setExecutable(CHROMEDRIVER.toString());
    return new ChromeDriver(service, o);
  }

  /** The training image whose prediction has the most classes (at least 2: a non-trivial mask). */
  static Path mostVariedImage(Path images) throws Exception {
    Path best = null;
    long bestScore = -1;
    try (Segmenter s = Segmenter.fromRun(run).device(Device.CPU).build();
        Stream<Path> files = Files.list(images)) {
      for (Path p : files.sorted().toList()) {
        long[] counts = new long[4];
        for (int k : s.predict(p).mask()) {
          counts[k]++;
        }
        long present = 0;
        long least = Long.MAX_VALUE;
        for (long c : counts) {
          if (c > 0) {
            present++;
            least = Math.min(least, c);
          }
        }
        long score = present * 10_000 + least;
        if (score > bestScore) {
          bestScore = score;
          best = p;
        }
      }
    }
    assertThat(bestScore / 10_000)
        .as("classes in the tiny model's best prediction (one means a trivial mask)")
        .isGreaterThanOrEqualTo(2);
    return best;
  }

  @Test
  void anImageIsSegmentedDrawnAndItsMaskDownloaded() throws Exception {
    int[] mask;
    int w;
    int h;
    try (Segmenter s = Segmenter.fromRun(run).device(Device.CPU).build()) {
      var p = s.predict(image);
      mask = p.mask();
      w = p.width();
      h = p.height();
    }
    int[][] colours = classColours();
    openThePage();
    assertThat(text("#model-info")).contains("unet", "background", "disc", "box", "triangle");
    assertThat(attr("#opacity", "value")).isEqualTo("50");
    upload(image);
    waitForStatus("ready");
    assertThat(text("#timing"))
        .containsPattern("batch size \\d+")
        .containsPattern("total [\\d.]+ m?s");

    // overlay: drawn, and as the server draws it; the slider changes the foreground's blend
    Canvas at50 = canvas();
    assertThat(at50.w()).isEqualTo(w);
    assertThat(at50.h()).isEqualTo(h);
    assertThat(at50.opaque()).as("opaque pixels drawn on the canvas").isEqualTo(w * h);
    assertSamePixels("the overlay at 50%", at50.rgb(), serverOverlay(0.5), w);
    driver.executeScript(
        "const s = document.getElementById('opacity'); s.value = 40;"
            + " s.dispatchEvent(new Event('input', {bubbles: true}));");
    Canvas at40 = canvas();
    assertThat(at40.differentPixels(at50)).as("pixels the slider changed").isPositive();
    assertSamePixels("the overlay at 40%", at40.rgb(), serverOverlay(0.4), w);
    assertThat(text("#opacity-value")).isEqualTo("40%");

    // mask: each pixel in its class's colour from /v1/models, at predict's mask
    click("#mode-mask");
    int[] maskRgb = new int[w * h];
    for (int i = 0; i < maskRgb.length; i++) {
      int[] c = colours[mask[i]];
      maskRgb[i] = c[0] << 16 | c[1] << 8 | c[2];
    }
    assertSamePixels("the mask view", canvas().rgb(), maskRgb, w);

    // side by side: the image on the left, the mask on the right
    click("#mode-side");
    Canvas side = canvas();
    assertThat(side.w()).isGreaterThan(2 * w);
    assertThat(side.h()).isEqualTo(h);
    assertSamePixels(
        "the side view's image", side.region(0, w, h), rgb(ImageIO.read(image.toFile())), w);
    assertSamePixels("the side view's mask", side.region(side.w() - w, w, h), maskRgb, w);

    // legend: one entry per class, its colour, and the JSON answer's fractions, one decimal
    click("#mode-mask");
    JsonNode answer = JSON.readTree(post(image, "json").body());
    List<WebElement> items = driver.findElements(By.cssSelector("#legend li"));
    JsonNode classes = model.get("classes");
    assertThat(items).hasSize(classes.size());
    for (int k = 0; k < items.size(); k++) {
      WebElement li = items.get(k);
      assertThat(li.getAttribute("data-class")).isEqualTo(String.valueOf(k));
      assertThat(li.getText()).contains(classes.get(k).get("name").asText());
      String want =
          new BigDecimal(answer.get("fractions").get(k).asDouble() * 100)
                  .setScale(1, RoundingMode.HALF_UP)
                  .toPlainString()
              + "%";
      assertThat(li.findElement(By.cssSelector(".pct")).getText())
          .as("class %d's area", k)
          .isEqualTo(want);
      int[] c = colours[k];
      assertThat(li.findElement(By.cssSelector(".swatch")).getCssValue("background-color"))
          .isEqualTo("rgba(" + c[0] + ", " + c[1] + ", " + c[2] + ", 1)");
    }

    // download: the class-index PNG, pixel for pixel predict's mask
    String stem = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Path got = downloads.resolve(stem + "_mask.png");
    Files.deleteIfExists(got);
    click("#download");
    new WebDriverWait(driver, WAIT)
        .withMessage("the download " + got)
        .until(d -> Files.isRegularFile(got) && !partialDownloads());
    BufferedImage png = ImageIO.read(got.toFile());
    assertThat(png.getWidth()).isEqualTo(w);
    assertThat(png.getHeight()).isEqualTo(h);
    assertThat(png.getColorModel())
        .as("a class-index grey PNG, not a palette one")
        .isNotInstanceOf(IndexColorModel.class);
    assertThat(png.getRaster().getNumBands()).isEqualTo(1);
    int[] downloaded = new int[w * h];
    png.getRaster().getSamples(0, 0, w, h, 0, downloaded);
    assertSamePixels("the downloaded mask", downloaded, mask, w);
    waitForStatus("ready");
    assertNoConsoleErrors();
  }

  @Test
  void aFileThatIsNotAnImageShowsTheServersSentence() throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.txt"), "these are notes, not pixels\n");
    // the same request as the page's: the sentence names the Content-Type the browser sends
    HttpResponse<String> direct =
        HTTP.send(segment(text, "json", "text/plain"), HttpResponse.BodyHandlers.ofString());
    assertThat(direct.statusCode()).isEqualTo(415);
    String sentence = JSON.readTree(direct.body()).get("error").asText();
    assertThat(sentence).containsIgnoringCase("not an image");
    openThePage();
    upload(text);
    waitForStatus("failed");
    assertThat(text("#error")).contains(sentence);
    assertThat(driver.findElement(By.id("result")).isDisplayed()).isFalse();
    assertNoConsoleErrors("/segment?", 415);
  }

  @Test
  void aFileOverTheServersBodyLimitIsRefusedBeforeItIsSent() throws Exception {
    // the limit from /v1/models' "limits"; MB as the server counts them: 1,000,000 bytes
    try (SegServer small =
        SegServer.start(ServeConfig.of(Map.of("shapes", run)).withPort(0).withMaxBodyMb(2))) {
      small.awaitReady(Duration.ofSeconds(60));
      driver.manage().logs().get(LogType.BROWSER); // drop earlier tests' entries
      driver.get(small.url());
      waitForModels();
      upload(zeros("huge.png", 2_000_001));
      waitForStatus("failed");
      assertThat(text("#error")).contains("huge.png", "2.0 MB", "limit of 2 MB");
      assertNoConsoleErrors(); // nothing was sent
      // at the limit the page sends it, and the server finds no image in it
      upload(zeros("at-limit.png", 2_000_000));
      new WebDriverWait(driver, WAIT)
          .withMessage(() -> "the server's 415; #error says: " + text("#error"))
          .until(d -> text("#error").contains("not an image"));
      assertThat(text("#status")).isEqualTo("failed");
      assertNoConsoleErrors("/segment?", 415);
    }
  }

  static Path zeros(String name, long bytes) throws IOException {
    Path f = tmp.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(bytes);
    }
    return f;
  }

  @Test
  void aServerWithATokenGetsItFromTheTokenFieldWithEveryRequest() throws Exception {
    String token = "t0ken-for-the-page";
    try (SegServer guarded =
        SegServer.start(ServeConfig.of(Map.of("shapes", run)).withPort(0).withToken(token))) {
      guarded.awaitReady(Duration.ofSeconds(60));
      driver.manage().logs().get(LogType.BROWSER); // drop earlier tests' entries
      driver.get(guarded.url());
      new WebDriverWait(driver, WAIT)
          .withMessage("the token field after /v1/models answered 401")
          .until(d -> d.findElement(By.id("token")).isDisplayed());
      assertThat(text("#status")).isEqualTo("token needed");
      driver.findElement(By.id("token")).sendKeys(token);
      click("#token-use");
      waitForModels();
      assertThat(driver.findElement(By.id("auth")).isDisplayed()).isFalse();
      upload(image);
      waitForStatus("ready");
      // the download is a request of its own: it carries the token too
      String stem = image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      Path file = downloads.resolve(stem + "_mask.png");
      Files.deleteIfExists(file);
      click("#download");
      new WebDriverWait(driver, WAIT)
          .withMessage(() -> "the download " + file + "; #error says: " + text("#error"))
          .until(d -> Files.isRegularFile(file) && !partialDownloads());
      assertThat(ImageIO.read(file.toFile()).getRaster().getNumBands()).isEqualTo(1);
      assertNoConsoleErrors("/v1/models", 401);
    }
  }

  /** Not a check: the README's screenshot, with {@code -Dseg4j.screenshot=PATH}. */
  @Test
  void screenshotForTheDocs() throws Exception {
    String out = System.getProperty("seg4j.screenshot");
    Assumptions.assumeTrue(out != null, "no -Dseg4j.screenshot=PATH");
    String otherRun = System.getProperty("seg4j.screenshot.run");
    String otherImage = System.getProperty("seg4j.screenshot.image");
    Path img = otherImage != null ? Path.of(otherImage) : image;
    SegServer other = null;
    try {
      String url = server.url();
      if (otherRun != null) {
        Path r = Path.of(otherRun).toAbsolutePath();
        other = SegServer.start(ServeConfig.of(Map.of(r.getFileName().toString(), r)).withPort(0));
        other.awaitReady(Duration.ofSeconds(120));
        url = other.url();
      }
      driver.manage().window().setSize(new Dimension(1280, 860));
      driver.get(url);
      waitForModels();
      upload(img.toAbsolutePath());
      new WebDriverWait(driver, Duration.ofSeconds(120))
          .until(d -> "ready".equals(text("#status")));
      // the whole page: the window as tall as the document
      long tall =
          (Long)
              driver.executeScript(
                  "return document.documentElement.scrollHeight"
                      + " + window.outerHeight - window.innerHeight;");
      driver.manage().window().setSize(new Dimension(1280, (int) tall));
      Path shot = Path.of(out).toAbsolutePath();
      Files.createDirectories(shot.getParent());
      Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
      System.out.println("seg4j.screenshot: " + shot);
    } finally {
      if (other != null) {
        other.close();
      }
      driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  // ---- the page --------------------------------------------------------------------------

  static void openThePage() {
    driver.get(server.url());
    waitForModels();
    driver.manage().logs().get(LogType.BROWSER); // from here on: this test's entries only
  }

  static void waitForModels() {
    new WebDriverWait(driver, WAIT)
        .withMessage("the model chooser filled from /v1/models")
        .until(d -> d.findElement(By.id("model")).isEnabled());
  }

  static void upload(Path file) {
    driver.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
  }

  static void waitForStatus(String want) {
    new WebDriverWait(driver, WAIT)
        .withMessage(() -> "#status " + want + "; #error says: " + text("#error"))
        .until(d -> want.equals(text("#status")));
  }

  static String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  static String attr(String css, String name) {
    return driver.findElement(By.cssSelector(css)).getDomProperty(name);
  }

  static void click(String css) {
    driver.findElement(By.cssSelector(css)).click();
  }

  static boolean partialDownloads() {
    try (Stream<Path> s = Files.list(downloads)) {
      return s.anyMatch(p -> p.toString().endsWith(".crdownload"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * No SEVERE entry in the browser's console, but the network lines Chromium logs for expected
   * error answers, each given as a path part and a status (e.g. {@code "/segment?", 415}).
   */
  static void assertNoConsoleErrors(Object... expected) {
    List<String> severe = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() < Level.SEVERE.intValue()) {
        continue;
      }
      boolean allowed = false;
      for (int i = 0; i < expected.length; i += 2) {
        allowed |=
            e.getMessage().contains((String) expected[i])
                && e.getMessage().contains("status of " + expected[i + 1]);
      }
      if (!allowed) {
        severe.add(e.getMessage());
      }
    }
    assertThat(severe).as("SEVERE browser console entries").isEmpty();
  }

  /** Equal pixel values, else the number that differ and the first one. */
  static void assertSamePixels(String what, int[] got, int[] want, int w) {
    assertThat(got.length).as(what + ": pixels").isEqualTo(want.length);
    int bad = 0;
    int first = -1;
    for (int i = 0; i < got.length; i++) {
      if (got[i] != want[i]) {
        bad++;
        first = first < 0 ? i : first;
      }
    }
    if (bad > 0) {
      Assertions.fail(
          String.format(
              Locale.ROOT,
              "%s: %d of %d pixels differ; the first at x=%d y=%d is %06x, expected %06x",
              what,
              bad,
              got.length,
              first % w,
              first / w,
              got[first],
              want[first]));
    }
  }

  /** The canvas's pixels as the page drew them (not as the CSS scales them). */
  record Canvas(int w, int h, byte[] rgba) {
    int opaque() {
      int n = 0;
      for (int i = 3; i < rgba.length; i += 4) {
        n += rgba[i] == (byte) 255 ? 1 : 0;
      }
      return n;
    }

    int[] region(int x0, int rw, int rh) {
      int[] out = new int[rw * rh];
      for (int y = 0; y < rh; y++) {
        for (int x = 0; x < rw; x++) {
          int i = (y * w + x0 + x) * 4;
          out[y * rw + x] = (rgba[i] & 255) << 16 | (rgba[i + 1] & 255) << 8 | rgba[i + 2] & 255;
        }
      }
      return out;
    }

    int[] rgb() {
      return region(0, w, h);
    }

    int differentPixels(Canvas o) {
      int[] a = rgb();
      int[] b = o.rgb();
      int n = 0;
      for (int i = 0; i < a.length; i++) {
        n += a[i] != b[i] ? 1 : 0;
      }
      return n;
    }
  }

  static Canvas canvas() {
    String s =
        (String)
            driver.executeScript(
                "const c = document.getElementById('canvas');"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + " let b = ''; for (let i = 0; i < d.length; i++) b += String.fromCharCode(d[i]);"
                    + " return c.width + ' ' + c.height + ' ' + btoa(b);");
    String[] p = s.split(" ");
    return new Canvas(
        Integer.parseInt(p[0]), Integer.parseInt(p[1]), Base64.getDecoder().decode(p[2]));
  }

  // ---- the server, directly --------------------------------------------------------------

  static String get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
    return r.body();
  }

  static HttpResponse<String> post(Path file, String output) throws Exception {
    return HTTP.send(segment(file, output), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest segment(Path file, String output) throws IOException {
    return segment(file, output, "image/png");
  }

  static HttpRequest segment(Path file, String output, String contentType) throws IOException {
    return HttpRequest.newBuilder(
            URI.create(server.url() + "v1/models/shapes/segment?output=" + output))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofFile(file))
        .build();
  }

  /** The server's overlay PNG of the test image at {@code alpha}, as 0xRRGGBB per pixel. */
  static int[] serverOverlay(double alpha) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            segment(image, "overlay&alpha=" + alpha), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return rgb(ImageIO.read(new ByteArrayInputStream(r.body())));
  }

  /** 8-bit pixels as 0xRRGGBB from the raster (a grey image's value repeated, no colour model). */
  static int[] rgb(BufferedImage img) {
    Raster r = img.getRaster();
    int w = img.getWidth();
    int h = img.getHeight();
    int bands = r.getNumBands();
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int red = r.getSample(x, y, 0);
        int green = bands >= 3 ? r.getSample(x, y, 1) : red;
        int blue = bands >= 3 ? r.getSample(x, y, 2) : red;
        out[y * w + x] = red << 16 | green << 8 | blue;
      }
    }
    return out;
  }

  /** The model's class colours from /v1/models, as {r, g, b}. */
  static int[][] classColours() {
    JsonNode classes = model.get("classes");
    int[][] c = new int[classes.size()][];
    for (int k = 0; k < c.length; k++) {
      int v = Integer.parseInt(classes.get(k).get("color").asText().substring(1), 16);
      c[k] = new int[] {v >> 16 & 255, v >> 8 & 255, v & 255};
    }
    return c;
  }
}
