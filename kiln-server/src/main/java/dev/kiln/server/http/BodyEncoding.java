package dev.kiln.server.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A request body's {@code Content-Encoding}: none, gzip or deflate (zlib, as HTTP means it). Some
 * SDKs and proxies compress what they send; any other coding (br, zstd, several at once) is a 415
 * rather than bytes taken for JSON. Inflated bodies are held to the same limit as plain ones, so a
 * small body that inflates to gigabytes (a zip bomb) is a 413 after {@code maxBodyBytes} bytes of
 * work, never an out-of-memory error.
 */
enum BodyEncoding {
  IDENTITY,
  GZIP,
  DEFLATE;

  /** The coding a {@code Content-Encoding} header names; a 415 for one Kiln cannot decode. */
  static BodyEncoding of(String contentEncoding) {
    if (contentEncoding == null) {
      return IDENTITY;
    }
    return switch (contentEncoding.trim().toLowerCase(Locale.ROOT)) {
      case "", "identity" -> IDENTITY;
      case "gzip", "x-gzip" -> GZIP;
      case "deflate" -> DEFLATE;
      default ->
          throw new ApiError(
              415,
              "Unsupported Media Type: Content-Encoding '"
                  + contentEncoding
                  + "' is not supported; send the body uncompressed, or compressed with gzip or deflate");
    };
  }

  /**
   * The body as sent, for {@link #IDENTITY} the same array; else its first {@code length} bytes
   * inflated.
   *
   * @throws ApiError 413 when the inflated body is over {@code maxBodyBytes}, 400 when it is not
   *     valid data of its coding
   */
  byte[] decode(byte[] body, int length, int maxBodyBytes) {
    if (this == IDENTITY) {
      return body;
    }
    try (InputStream inflating = inflating(new ByteArrayInputStream(body, 0, length))) {
      byte[] inflated = inflating.readNBytes(maxBodyBytes);
      if (inflating.read() != -1) {
        throw ApiError.payloadTooLarge(maxBodyBytes);
      }
      return inflated;
    } catch (IOException corrupt) {
      throw ApiError.badRequest(
          "The request body is not valid "
              + name().toLowerCase(Locale.ROOT)
              + " data, as its Content-Encoding says it is");
    }
  }

  private InputStream inflating(InputStream compressed) throws IOException {
    return this == GZIP ? new GZIPInputStream(compressed) : new InflaterInputStream(compressed);
  }
}
