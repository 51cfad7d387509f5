package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.testutil.Golden;

/**
 * PthFile and WeightsFiles against files torch.save wrote (tools/gen_pth.py): every tensor equals
 * its twin in NAME.expected.safetensors, and every bad file fails with one line naming it and the
 * fix.
 */
class PthFileTest {
  @TempDir Path dir;

  private static Path pth(String name) {
    return Golden.path("golden/pth/" + name + ".pth");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "conv_f32",
        "conv_f16",
        "conv_bf16",
        "wrapped_state_dict",
        "wrapped_model",
        "wrapped_net",
        "wrapped_several",
        "dataparallel",
        "views",
        "shared",
        "dtypes"
      })
  void everyTensorEqualsItsTwinWrittenByPyTorch(String name) throws IOException {
    assertSameTensors(WeightsFiles.read(pth(name)), name);
  }

  private static void assertSameTensors(Contents got, String name) throws IOException {
    Map<String, Tensor> want =
        SafeTensors.read(Golden.path("golden/pth/" + name + ".expected.safetensors")).tensors();
    assertThat(got.tensors().keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
    want.forEach(
        (key, w) -> {
          Tensor t = got.tensors().get(key);
          assertThat(t.dtype()).as(name + " " + key).isEqualTo(w.dtype());
          assertThat(t.shape()).as(name + " " + key).containsExactly(w.shape());
          assertThat(t.data()).as(name + " " + key).containsExactly(w.data());
        });
    assertThat(got.metadata()).isEmpty();
  }

  @Test
  void keepsTheStateDictsOrderAndItsDtypes() throws IOException {
    Contents c = PthFile.read(pth("dataparallel"));
    assertThat(c.tensors().keySet())
        .containsExactly(
            "0.weight",
            "0.bias",
            "1.weight",
            "1.bias",
            "1.running_mean",
            "1.running_var",
            "1.num_batches_tracked",
            "3.weight",
            "3.bias");
    Tensor nbt = PthFile.read(pth("conv_f32")).tensors().get("1.num_batches_tracked");
    assertThat(nbt.dtype()).isEqualTo("I64");
    assertThat(nbt.toLongs()).containsExactly(7L);
    Tensor half = PthFile.read(pth("conv_f16")).tensors().get("0.weight");
    assertThat(half.dtype()).isEqualTo("F32");
    assertThat(half.shape()).containsExactly(4, 3, 3, 3);
  }

  @Test
  void viewsComeOutInRowMajorOrder() throws IOException {
    Map<String, Tensor> t = PthFile.read(pth("views")).tensors();
    assertThat(t.get("transposed").toFloats()).containsExactly(0, 3, 1, 4, 2, 5);
    assertThat(t.get("sliced").toFloats()).containsExactly(7, 8, 9, 12, 13, 14);
    assertThat(t.get("strided").toFloats()).containsExactly(0, 3, 10, 13);
    assertThat(t.get("scalar").shape()).isEmpty();
    assertThat(t.get("scalar").toFloats()).containsExactly(14);
    assertThat(t.get("param").toFloats()).containsExactly(0.5f, 2, -1.5f, 3);
  }

  @Test
  void readsBigEndianStorages() throws IOException {
    Path big = dir.resolve("big.pth");
    rewrite(
        pth("shared"),
        big,
        (name, data) -> {
          if (name.endsWith("/byteorder")) {
            return "big".getBytes(StandardCharsets.US_ASCII);
          }
          if (name.endsWith("/data/0")) { // the one float32 storage: swap each element's bytes
            byte[] swapped = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
              swapped[i] = data[i - i % 4 + 3 - i % 4];
            }
            return swapped;
          }
          return data;
        });
    assertSameTensors(WeightsFiles.read(big), "shared");
  }

  @Test
  void stillReadsSafetensors() throws IOException {
    Path st = Golden.path("golden/pth/conv_f32.expected.safetensors");
    assertThat(PthFile.isPth(st)).isFalse();
    assertThat(WeightsFiles.read(st).tensors())
        .containsOnlyKeys(SafeTensors.read(st).tensors().keySet());
  }

  @Test
  void refusesAPickleThatWouldRunCode() {
    assertOneLine(
        pth("malicious"),
        "malicious.pth holds the pickle global 'os.system', which seg4j refuses",
        "torch.save(model.state_dict(), path)");
  }

  @Test
  void refusesAWholePickledModel() {
    assertOneLine(
        pth("whole_model"),
        "whole_model.pth holds the pickle global 'torch.nn.modules.container.Sequential'",
        "re-save the weights alone with torch.save(model.state_dict(), path)");
  }

  @Test
  void namesTheLegacyFormatAndHowToResave() {
    assertOneLine(
        pth("legacy"),
        "legacy.pth is in PyTorch's legacy format",
        "torch.save(sd, path) using PyTorch >= 1.6");
  }

  @Test
  void namesTruncatedAndCutDownFiles() {
    assertOneLine(
        pth("truncated"), "truncated.pth is not a complete zip archive", "copy the file again");
    assertOneLine(
        pth("missing_storage"),
        "missing_storage.pth lacks the zip entry conv_f32/data/1",
        "copy the file again");
    assertOneLine(
        pth("short_storage"),
        "short_storage.pth tensor '0.weight' reads elements up to 107",
        "copy the file again");
  }

  @Test
  void namesAFileWithoutTensors() throws IOException {
    Path none = dir.resolve("none.pth");
    rewrite(pth("malicious"), none, (name, data) -> name.endsWith("data.pkl") ? EPOCH_ONLY : data);
    assertOneLine(
        none,
        "none.pth holds a dict with the keys epoch, but no tensors",
        "torch.save(model.state_dict(), path)");
  }

  /** {'epoch': 3} as protocol 2. */
  private static final byte[] EPOCH_ONLY = {
    (byte) 0x80, 2, '}', 'q', 0, 'X', 5, 0, 0, 0, 'e', 'p', 'o', 'c', 'h', 'K', 3, 's', '.'
  };

  private static void assertOneLine(Path file, String problem, String fix) {
    assertThatThrownBy(() -> WeightsFiles.read(file))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(problem)
        .hasMessageContaining(fix)
        .hasMessageNotContaining("\n");
  }

  /** A change of one zip entry's bytes. */
  interface EntryChange {
    byte[] apply(String name, byte[] data);
  }

  static void rewrite(Path from, Path to, EntryChange change) throws IOException {
    try (ZipFile in = new ZipFile(from.toFile());
        OutputStream os = Files.newOutputStream(to);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (ZipEntry e : in.stream().toList()) {
        byte[] data;
        try (InputStream is = in.getInputStream(e)) {
          data = change.apply(e.getName(), is.readAllBytes());
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(data);
        out.closeEntry();
      }
    }
  }
}
