package dev.kiln.bench;

/**
 * What one load run measured.
 *
 * @param serverCpuCores the server's CPU time divided by wall time: 2.0 means both cores were busy
 * @param firstError the first unexpected answer, to explain a non-zero error count; null when none
 */
record LoadResult(
    long requests,
    long errors,
    double seconds,
    double requestsPerSecond,
    double objectsPerSecond,
    double p50Millis,
    double p99Millis,
    double maxMillis,
    double serverCpuCores,
    String firstError) {}
