package dev.kiln.segment;

/** The type a value is compared as. */
public enum ValueType {
  TEXT,
  NUMBER,
  BOOLEAN,
  DATE,
  ARRAY
}
