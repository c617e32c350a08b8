package dev.kiln.ingest;

/** Braze's non-fatal error entry: which object of which array, and why it was dropped. */
public record ObjectError(String type, String inputArray, int index) {}
