package org.seg4j.data.loader;

/** A failure while decoding or augmenting a sample on a worker thread, naming the sample. */
public class LoaderException extends RuntimeException {
  /** Wraps {@code cause} with a message naming the sample. */
  public LoaderException(String message, Throwable cause) {
    super(message, cause);
  }
}
