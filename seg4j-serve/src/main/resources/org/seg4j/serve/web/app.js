// seg4j serve's web page: choose a model, send an image to /v1/models/{name}/segment?output=json,
// decode the answer's COCO RLE into the class mask and draw it over the image. Plain JS, no build.
"use strict";

(function () {
  // The server's --max-body-mb (MB = 1,000,000 bytes, as the server counts): its default until
  // /v1/models names it ("limits").
  const MB = 1000000;
  let maxBodyBytes = 32 * MB;
  let token = null;
  let models = [];
  let state = null; // {file, model, json, mask, image (ImageData), width, height}
  let seq = 0; // the newest request; an older answer arriving late is dropped

  const $ = (id) => document.getElementById(id);
  const el = {
    auth: $("auth"), authForm: $("auth-form"), token: $("token"),
    model: $("model"), modelInfo: $("model-info"),
    drop: $("drop"), file: $("file"), status: $("status"), error: $("error"),
    result: $("result"), placeholder: $("placeholder"), resultTitle: $("result-title"), canvas: $("canvas"), legend: $("legend"), timing: $("timing"),
    opacity: $("opacity"), opacityValue: $("opacity-value"), download: $("download"),
  };

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (token) h.Authorization = "Bearer " + token;
    return h;
  }

  function setStatus(s) { el.status.textContent = s; }

  function showError(message) {
    el.error.textContent = message;
    setStatus("failed");
  }

  function clearError() { el.error.textContent = ""; }

  // The server's JSON error sentence, or a readable stand-in when the answer is not JSON.
  async function errorOf(res) {
    let text = "";
    try { text = await res.text(); } catch (e) { /* keep the status line */ }
    try {
      const j = JSON.parse(text);
      if (j && j.error) return j.error;
    } catch (e) { /* not JSON */ }
    return "The server answered " + res.status + " " + (res.statusText || "") + ".";
  }

  // ---- models ---------------------------------------------------------------------------

  async function loadModels() {
    let res;
    try {
      res = await fetch("/v1/models", { headers: headers() });
    } catch (e) {
      showError("Cannot reach the server: " + e.message);
      return;
    }
    if (res.status === 401) {
      el.auth.hidden = false;
      el.model.disabled = true;
      if (models.length === 0) el.model.options[0].textContent = "token needed";
      if (token) showError(await errorOf(res));
      else setStatus("token needed");
      el.token.focus();
      return;
    }
    if (!res.ok) {
      showError(await errorOf(res));
      return;
    }
    const j = await res.json();
    el.auth.hidden = true;
    if (j.limits && j.limits.max_body_mb) maxBodyBytes = j.limits.max_body_mb * MB;
    const chosen = el.model.value;
    models = j.models || [];
    el.model.textContent = "";
    for (const m of models) {
      const o = document.createElement("option");
      o.value = m.name;
      o.textContent = m.name + (m.ready === false ? " (loading)" : "");
      el.model.appendChild(o);
    }
    const firstReady = models.find((m) => m.ready !== false);
    if (models.some((m) => m.name === chosen)) el.model.value = chosen;
    else if (firstReady) el.model.value = firstReady.name;
    el.model.disabled = models.length === 0;
    if (models.length === 0) showError("This server runs no model.");
    else if (el.status.textContent !== "failed" && !state) setStatus("idle");
    showModelInfo();
    if (models.some((m) => m.ready === false)) setTimeout(loadModels, 2000);
  }

  function currentModel() {
    return models.find((m) => m.name === el.model.value) || null;
  }

  function showModelInfo() {
    el.modelInfo.textContent = "";
    const m = currentModel();
    if (!m) return;
    const row = (term, text) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = text;
      el.modelInfo.append(dt, dd);
    };
    if (!m.classes) { // still loading (or failed to load): the server knows only its name
      row("State", m.error ? "failed: " + m.error : "loading…");
      return;
    }
    row("Architecture", m.arch + ", " + m.in_channels + " input channel" + (m.in_channels === 1 ? "" : "s") +
      (m.input && m.input.trained_size ? ", trained at " + m.input.trained_size.join("×") + " px" : ""));
    row("Classes", m.classes.length + ": " + m.classes.map((c) => c.name).join(", "));
    const t = m.training;
    let s = "unknown";
    if (t && t.epochs != null) {
      s = t.epochs + " epoch" + (t.epochs === 1 ? "" : "s");
      if (t.best_val_miou != null) {
        s += ", best val mIoU " + t.best_val_miou.toFixed(3);
        if (t.best_epoch != null) s += " (epoch " + t.best_epoch + ")";
      }
    }
    row("Training", s);
    if (m.ready === false) row("State", "loading…");
  }

  // ---- colours ----------------------------------------------------------------------------

  function rgbOf(hex) {
    const v = parseInt(hex.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }

  // Class colours as the mask view shows them (the model's colours from /v1/models).
  function maskColours(m) { return m.classes.map((c) => rgbOf(c.color)); }

  // Class colours as predict's overlay blends them: a binary foreground (white in the mask
  // view) in red, so that it shows on the image.
  function overlayColours(m) {
    const c = maskColours(m);
    if (c.length <= 2 && c.length > 1) c[1] = [255, 32, 32];
    return c;
  }

  function hexOf(rgb) {
    return "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
  }

  // ---- RLE ------------------------------------------------------------------------------------

  // COCO uncompressed RLE per class (column-major runs of 0s then 1s) into a row-major class
  // index mask.
  function decodeMask(json) {
    const w = json.width, h = json.height, n = w * h;
    const mask = new Uint8Array(n).fill(255);
    for (const r of json.rle) {
      let p = 0, one = false;
      for (const run of r.counts) {
        if (one) {
          for (let q = p; q < p + run && q < n; q++) {
            const x = Math.floor(q / h), y = q - x * h;
            mask[y * w + x] = r.class;
          }
        }
        p += run;
        one = !one;
      }
      if (p !== n) throw new Error("the RLE of class " + r.name + " covers " + p + " pixels, not " + n);
    }
    return mask;
  }

  // ---- image ------------------------------------------------------------------------------

  // The image's pixels as the server saw them: decoded by the browser when it can (PNG, JPEG),
  // else (TIFF, or a JPEG the browser would turn by its EXIF orientation while the server does
  // not) the server's overlay at alpha 0, which is the image itself as a PNG.
  async function imagePixels(file, w, h, modelName) {
    try {
      if (!(await exifTurned(file))) {
        const bmp = await createImageBitmap(file);
        if (bmp.width === w && bmp.height === h) return pixelsOf(bmp, w, h);
      }
    } catch (e) { /* the browser cannot decode it */ }
    const res = await segment(file, modelName, "overlay&alpha=0");
    if (!res.ok) throw new Error(await errorOf(res));
    const bmp = await createImageBitmap(await res.blob());
    return pixelsOf(bmp, w, h);
  }

  // Whether a JPEG's EXIF orientation (tag 0x0112 in APP1's IFD0) is other than 1.
  async function exifTurned(file) {
    const b = new DataView(await file.slice(0, 65536).arrayBuffer());
    if (b.byteLength < 4 || b.getUint16(0) !== 0xffd8) return false;
    let p = 2;
    while (p + 4 <= b.byteLength && b.getUint8(p) === 0xff) {
      const marker = b.getUint8(p + 1), len = b.getUint16(p + 2);
      if (marker === 0xe1 && p + 10 <= b.byteLength && b.getUint32(p + 4) === 0x45786966) {
        const t = p + 10, le = b.getUint16(t) === 0x4949;
        if (t + 8 > b.byteLength) return false;
        const ifd = t + b.getUint32(t + 4, le);
        if (ifd + 2 > b.byteLength) return false;
        const n = b.getUint16(ifd, le);
        for (let i = 0; i < n && ifd + 2 + 12 * i + 12 <= b.byteLength; i++) {
          const e = ifd + 2 + 12 * i;
          if (b.getUint16(e, le) === 0x0112) return b.getUint16(e + 8, le) !== 1;
        }
        return false;
      }
      if (marker === 0xda) return false; // image data: no EXIF before it
      p += 2 + len;
    }
    return false;
  }

  function pixelsOf(bmp, w, h) {
    const c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    const g = c.getContext("2d", { willReadFrequently: true });
    g.drawImage(bmp, 0, 0);
    return g.getImageData(0, 0, w, h);
  }

  // ---- drawing -------------------------------------------------------------------------------

  function mode() {
    const r = document.querySelector('input[name="mode"]:checked');
    return r ? r.value : "overlay";
  }

  function maskImage(s) {
    const col = maskColours(s.model);
    const out = new ImageData(s.width, s.height);
    const d = out.data;
    for (let i = 0; i < s.mask.length; i++) {
      const c = col[s.mask[i]] || [255, 0, 255];
      d[i * 4] = c[0]; d[i * 4 + 1] = c[1]; d[i * 4 + 2] = c[2]; d[i * 4 + 3] = 255;
    }
    return out;
  }

  // As predict's overlay: non-background pixels blended with their class colour at alpha.
  function overlayImage(s, alpha) {
    const col = overlayColours(s.model);
    const src = s.image.data;
    const out = new ImageData(s.width, s.height);
    const d = out.data;
    for (let i = 0; i < s.mask.length; i++) {
      const k = s.mask[i];
      for (let ch = 0; ch < 3; ch++) {
        const v = src[i * 4 + ch];
        d[i * 4 + ch] = k > 0 && k < col.length ? Math.round((1 - alpha) * v + alpha * col[k][ch]) : v;
      }
      d[i * 4 + 3] = 255;
    }
    return out;
  }

  const GAP = 8;

  function draw() {
    if (!state) return;
    const m = mode();
    const w = state.width, h = state.height;
    const c = el.canvas;
    c.width = m === "side" ? 2 * w + GAP : w;
    c.height = h;
    c.dataset.mode = m;
    const g = c.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, c.width, c.height);
    if (m === "overlay") {
      g.putImageData(overlayImage(state, el.opacity.value / 100), 0, 0);
    } else if (m === "mask") {
      g.putImageData(maskImage(state), 0, 0);
    } else {
      g.putImageData(state.image, 0, 0);
      g.putImageData(maskImage(state), w + GAP, 0);
    }
    // Small images are scaled up with sharp pixels; large ones fit the page.
    c.classList.toggle("pixelated", w < 256);
    const names = { overlay: "overlay", mask: "mask", side: "image and mask side by side" };
    c.setAttribute("aria-label", names[m] + " of " + state.file.name + ": " +
      state.json.classes.map((n, k) => n + " " + pctOf(state.json.fractions[k])).join(", "));
    colourLegend();
  }

  function colourLegend() {
    if (!state) return;
    const col = mode() === "overlay" ? overlayColours(state.model) : maskColours(state.model);
    for (const li of el.legend.children) {
      li.querySelector(".swatch").style.background = hexOf(col[Number(li.dataset.class)]);
    }
  }

  function pctOf(fraction) { return (fraction * 100).toFixed(1) + "%"; }

  function showLegend(s) {
    el.legend.textContent = "";
    s.json.classes.forEach((name, k) => {
      const li = document.createElement("li");
      li.dataset.class = String(k);
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.setAttribute("aria-hidden", "true");
      const nm = document.createElement("span");
      nm.className = "name";
      nm.textContent = name;
      const pct = document.createElement("span");
      pct.className = "pct";
      pct.textContent = pctOf(s.json.fractions[k]);
      li.append(sw, nm, pct);
      el.legend.appendChild(li);
    });
  }

  function showTiming(j) {
    const t = j.timing_ms || {};
    const ms = (v) => (v == null ? "?" : v >= 1000 ? (v / 1000).toFixed(2) + " s" : v.toFixed(1) + " ms");
    el.timing.textContent = j.width + "×" + j.height + " px · " +
      "total " + ms(t.total) + " (queue " + ms(t.queue) + ", predict " + ms(t.predict) + ") · " +
      "batch size " + j.batch_size +
      (j.mean_confidence != null ? " · mean confidence " + j.mean_confidence.toFixed(3) : "");
  }

  // ---- requests ----------------------------------------------------------------------------

  function segment(file, modelName, output) {
    return fetch("/v1/models/" + encodeURIComponent(modelName) + "/segment?output=" + output, {
      method: "POST",
      headers: headers({ "Content-Type": file.type || "application/octet-stream" }),
      body: file,
    });
  }

  async function run(file) {
    clearError();
    const m = currentModel();
    if (!m) { showError("Choose a model first."); return; }
    if (!m.classes) { showError("The model " + m.name + " is not ready yet; try again in a moment."); return; }
    if (file.size > maxBodyBytes) {
      fail("The file " + file.name + " is " + (file.size / MB).toFixed(1) +
        " MB, over this server's limit of " + maxBodyBytes / MB + " MB (--max-body-mb).");
      return;
    }
    const mine = ++seq;
    setStatus("working");
    el.drop.setAttribute("aria-busy", "true");
    try {
      const res = await segment(file, m.name, "json");
      if (mine !== seq) return;
      if (res.status === 401) el.auth.hidden = false;
      if (!res.ok) { fail(await errorOf(res)); return; }
      const json = await res.json();
      const mask = decodeMask(json);
      const image = await imagePixels(file, json.width, json.height, m.name);
      if (mine !== seq) return;
      state = { file, model: m, json, mask, image, width: json.width, height: json.height };
      showLegend(state);
      showTiming(json);
      el.resultTitle.textContent = "Result: " + file.name;
      el.result.hidden = false;
      el.placeholder.hidden = true;
      draw();
      setStatus("ready");
    } catch (e) {
      if (mine === seq) fail("Could not segment " + file.name + ": " + e.message);
    } finally {
      if (mine === seq) el.drop.removeAttribute("aria-busy");
    }
  }

  // A failed image: its message, and no older result left on show as if it were this one's.
  function fail(message) {
    state = null;
    el.result.hidden = true;
    el.placeholder.hidden = false;
    el.resultTitle.textContent = "Result";
    showError(message);
  }

  async function download() {
    if (!state) return;
    clearError();
    setStatus("working");
    try {
      const res = await segment(state.file, state.model.name, "mask");
      if (!res.ok) { showError(await errorOf(res)); return; }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = state.file.name.replace(/\.[^.]*$/, "") + "_mask.png";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      setStatus("ready");
    } catch (e) {
      showError("Could not download the mask: " + e.message);
    }
  }

  // ---- wiring -------------------------------------------------------------------------------

  el.authForm.addEventListener("submit", (e) => {
    e.preventDefault();
    token = el.token.value.trim();
    clearError();
    setStatus("idle");
    loadModels();
  });
  el.model.addEventListener("change", () => {
    showModelInfo();
    if (state) run(state.file);
  });
  el.file.addEventListener("change", () => {
    if (el.file.files.length > 0) run(el.file.files[0]);
    el.file.value = ""; // choosing the same file again is a new request
  });
  el.opacity.addEventListener("input", () => {
    el.opacityValue.textContent = el.opacity.value + "%";
    draw();
  });
  for (const r of document.querySelectorAll('input[name="mode"]')) {
    r.addEventListener("change", draw);
  }
  el.download.addEventListener("click", download);

  ["dragenter", "dragover"].forEach((t) => el.drop.addEventListener(t, (e) => {
    e.preventDefault();
    el.drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((t) => el.drop.addEventListener(t, () => el.drop.classList.remove("over")));
  el.drop.addEventListener("drop", (e) => {
    e.preventDefault();
    const f = e.dataTransfer.files;
    if (f.length > 0) run(f[0]);
  });
  // a file dropped beside the zone is not opened by the browser in place of the page
  ["dragover", "drop"].forEach((t) => window.addEventListener(t, (e) => e.preventDefault()));
  el.drop.addEventListener("keydown", (e) => {
    if (e.target === el.drop && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      el.file.click();
    }
  });

  loadModels();
})();
