/** Architecture tests: the package layers of DESIGN.md, checked with ArchUnit. */
package org.seg4j.arch;
