/**
 * The {@code seg4j} command line (picocli): one thin command class per subcommand that reads
 * options, calls the library and prints; the error handler turns failures into one line naming the
 * flag of the failed command. Uses every seg4j-core package and bench; nothing uses it.
 */
package org.seg4j.cli;
