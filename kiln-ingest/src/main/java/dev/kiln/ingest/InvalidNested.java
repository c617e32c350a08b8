package dev.kiln.ingest;

/**
 * A nested custom attribute holds a value Braze does not store (a bad or null {@code $time}, a key
 * with {@code .}, {@code $} or a space): the attribute is left untouched, the rest of the object is
 * applied, and no error is reported, as Braze does.
 */
final class InvalidNested extends RuntimeException {
  InvalidNested() {
    super(null, null, false, false);
  }
}
