package dev.kiln.segment;

/**
 * A storage that can evaluate segments. The storage SPI lives in kiln-core, which knows nothing of
 * filters, so backends that evaluate them say so by implementing this as well.
 */
public interface SegmentStorage {
  SegmentQueries segmentQueries();

  SegmentDefinitions segmentDefinitions();
}
