package org.seg4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seg4j.io.SafeTensors.Contents;
import org.seg4j.io.SafeTensors.Tensor;
import org.seg4j.testutil.Golden;

/** SafeTensors: reads PyTorch's files, round-trips its own, and names the file on damage. */
class SafeTensorsTest {
  private static final String TORCH = "golden/layers/state_dict_torch.safetensors";

  @TempDir Path dir;

  @Test
  void readsAFileWrittenByPyTorch() throws IOException {
    Contents c = SafeTensors.read(Golden.path(TORCH));
    assertThat(c.tensors().get("0.weight").dtype()).isEqualTo("F32");
    assertThat(c.tensors().get("0.weight").shape()).containsExactly(3, 2, 3, 3);
    Tensor nbt = c.tensors().get("1.num_batches_tracked");
    assertThat(nbt.dtype()).isEqualTo("I64");
    assertThat(nbt.shape()).isEmpty();
    assertThat(nbt.toLongs()).containsExactly(3L);
    assertThat(SafeTensors.readMetadata(Golden.path("golden/layers/relu.safetensors")))
        .containsEntry("negative_slope", "0.0");
  }

  @Test
  void roundTripsTensorsAndMetadata() throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("w", Tensor.ofFloats(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-30f, -7}));
    t.put("n", Tensor.ofLongs(new long[0], new long[] {Long.MAX_VALUE}));
    Path f = dir.resolve("x.safetensors");
    SafeTensors.write(f, t, Map.of("epoch", "4", "note", "ünïcode"));
    assertThat(Files.size(f) % 8).as("header padded to 8 bytes, data 4-aligned").isZero();
    Contents c = SafeTensors.read(f);
    assertThat(c.tensors().keySet()).containsExactly("w", "n");
    assertThat(c.tensors().get("w").toFloats()).containsExactly(1, -2, 3.5f, 0, 1e-30f, -7);
    assertThat(c.tensors().get("w").shape()).containsExactly(2, 3);
    assertThat(c.tensors().get("n").toLongs()).containsExactly(Long.MAX_VALUE);
    assertThat(c.metadata()).containsEntry("epoch", "4").containsEntry("note", "ünïcode");
    assertThat(SafeTensors.readMetadata(f)).isEqualTo(c.metadata());
  }

  @Test
  void convertsHalfAndBfloat16() {
    ByteBuffer h = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    h.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001);
    assertThat(new Tensor("F16", new long[] {3}, h.array()).toFloats())
        .containsExactly(1f, -2f, (float) Math.pow(2, -24));
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0x3F80).putShort((short) 0xC040);
    assertThat(new Tensor("BF16", new long[] {2}, b.array()).toFloats()).containsExactly(1f, -3f);
  }

  private Path damaged(byte[] bytes) throws IOException {
    Path f = dir.resolve("damaged.safetensors");
    Files.write(f, bytes);
    return f;
  }

  private static byte[] torchBytes() throws IOException {
    return Files.readAllBytes(Golden.path(TORCH));
  }

  @Test
  void truncatedDataNamesTheFileAndTheFix() throws IOException {
    byte[] all = torchBytes();
    Path f = damaged(Arrays.copyOf(all, all.length - 10));
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("copy the file again or re-export it");
  }

  @Test
  void truncatedHeaderNamesTheFileAndTheFix() throws IOException {
    Path f = damaged(Arrays.copyOf(torchBytes(), 60));
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("holds 60 bytes")
        .hasMessageContaining("truncated or not safetensors");
    assertThatThrownBy(() -> SafeTensors.readMetadata(f)).isInstanceOf(WeightsFileException.class);
  }

  @Test
  void headerLengthLargerThanTheFile() throws IOException {
    byte[] all = torchBytes();
    ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, all.length);
    Path f = damaged(all);
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("declares a " + all.length + "-byte header")
        .hasMessageContaining("re-export");
  }

  @Test
  void corruptJsonHeader() throws IOException {
    byte[] garbage = "{\"0.weight\": {\"dtype\": \"F32\", \"sha".getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + garbage.length + 16).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(garbage.length).put(garbage);
    Path f = damaged(b.array());
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("corrupt JSON header")
        .hasMessageContaining("re-export it");
  }

  @Test
  void emptyFile() throws IOException {
    Path f = damaged(new byte[0]);
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("is 0 bytes")
        .hasMessageContaining("re-export");
  }

  @Test
  void missingFile() {
    Path f = dir.resolve("nope.safetensors");
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("check the path");
  }

  @Test
  void sizeDisagreeingWithShapeIsReported() throws IOException {
    String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path f = damaged(b.array());
    assertThatThrownBy(() -> SafeTensors.read(f))
        .isInstanceOf(WeightsFileException.class)
        .hasMessageContaining("tensor 'w' has 8 bytes for 3 values");
  }

  @Test
  void aChangedTensorNamesTheFileTheTensorAndTheCheckpointsBesideIt() throws IOException {
    Path ckpts = Files.createDirectories(dir.resolve("run/checkpoints"));
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("a", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
    t.put("b", Tensor.ofFloats(new long[] {2}, new float[] {3, 4}));
    for (String n : List.of("best", "last", "epoch_002", "epoch_010", "last.train")) {
      SafeTensors.write(ckpts.resolve(n + ".safetensors"), t, Map.of("epoch", "1"));
    }
    Path best = ckpts.resolve("best.safetensors");
    assertThat(SafeTensors.read(best).metadata()).containsOnlyKeys("epoch");
    byte[] bytes = Files.readAllBytes(best);
    bytes[bytes.length - 1] ^= 1; // the last byte of tensor b
    Files.write(best, bytes);
    assertThatThrownBy(() -> SafeTensors.read(best))
        .isInstanceOf(DamagedTensorException.class)
        .hasMessageStartingWith(best + " is damaged: tensor 'b' no longer matches the CRC32C")
        .hasMessageContaining(
            "use another checkpoint instead: "
                + ckpts.resolve("last.safetensors").toAbsolutePath()
                + " (also there: epoch_010.safetensors, epoch_002.safetensors)");
    assertThat(SafeTensors.checkpointsBeside(ckpts.resolve("last.train.safetensors")))
        .extracting(f -> f.getFileName().toString())
        .containsExactly(
            "last.safetensors",
            "epoch_010.safetensors",
            "epoch_002.safetensors",
            "best.safetensors");
  }

  @Test
  void aFileWithoutChecksumsIsReadUnchecked() throws IOException {
    Contents c = SafeTensors.read(Golden.path(TORCH));
    assertThat(c.metadata()).doesNotContainKey(SafeTensors.CHECKSUMS);
    assertThat(c.tensors()).isNotEmpty();
  }
}
