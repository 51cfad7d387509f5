package org.seg4j.data;

import java.util.List;

/** Bad input in a dataset: carries the problems found, each naming the file, value and fix. */
public class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  /** An exception for one problem. */
  public DatasetException(Problem problem) {
    this(problem.message(), List.of(problem));
  }

  /** An exception with its own message summarising several problems. */
  public DatasetException(String message, List<Problem> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  /** The problems found. */
  public List<Problem> problems() {
    return problems;
  }
}
