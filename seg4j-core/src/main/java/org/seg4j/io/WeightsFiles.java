package org.seg4j.io;

import java.io.IOException;
import java.nio.file.Path;
import org.seg4j.io.SafeTensors.Contents;

/**
 * Reads weights brought from outside in either format, told apart by content, not by name: a
 * PyTorch {@code .pth} file ({@link PthFile}: a {@code torch.save} zip, or the legacy format, which
 * is refused with how to re-save) or else safetensors ({@link SafeTensors}).
 */
public final class WeightsFiles {
  private WeightsFiles() {}

  /** The file's tensors, whichever of the two formats it is in. */
  public static Contents read(Path file) throws IOException {
    return PthFile.isPth(file) ? PthFile.read(file) : SafeTensors.read(file);
  }
}
