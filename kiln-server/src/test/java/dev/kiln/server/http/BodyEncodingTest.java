package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which {@code Content-Encoding} Kiln decodes, and the limit and refusals of inflating a body, as
 * functions over bytes. ITHttpErrors keeps one request per answer (201, 400, 413, 415) to show each
 * reaches the client and stores nothing.
 */
class BodyEncodingTest {
  private static final byte[] JSON = "{\"attributes\":[]}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderNamesItsCodingInAnyCaseAndSpacing() {
    assertThat(BodyEncoding.of(null)).isEqualTo(BodyEncoding.IDENTITY);
    assertThat(BodyEncoding.of("")).isEqualTo(BodyEncoding.IDENTITY);
    assertThat(BodyEncoding.of("Identity")).isEqualTo(BodyEncoding.IDENTITY);
    assertThat(BodyEncoding.of(" GZIP ")).isEqualTo(BodyEncoding.GZIP);
    assertThat(BodyEncoding.of("x-gzip")).isEqualTo(BodyEncoding.GZIP);
    assertThat(BodyEncoding.of("Deflate")).isEqualTo(BodyEncoding.DEFLATE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"br", "zstd", "compress", "gzip, br", "gzip, gzip", "rot13"})
  void anEncodingKilnCannotDecodeIs415(String encoding) {
    assertThatThrownBy(() -> BodyEncoding.of(encoding))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(415))
        .hasMessageStartingWith(
            "Unsupported Media Type: Content-Encoding '" + encoding + "' is not supported");
  }

  @Test
  void identityIsTheBodyAsSent() {
    assertThat(BodyEncoding.IDENTITY.decode(JSON, JSON.length, 4)).isSameAs(JSON);
  }

  @Test
  void gzipAndDeflateInflateToThePlainBody() throws IOException {
    assertThat(BodyEncoding.GZIP.decode(gzip(JSON), gzip(JSON).length, 1024)).isEqualTo(JSON);
    assertThat(BodyEncoding.DEFLATE.decode(deflate(JSON), deflate(JSON).length, 1024))
        .isEqualTo(JSON);
  }

  @Test
  void onlyTheFirstLengthBytesAreInflated() throws IOException {
    byte[] compressed = gzip(JSON);
    byte[] padded = new byte[compressed.length + 100];
    System.arraycopy(compressed, 0, padded, 0, compressed.length);
    assertThat(BodyEncoding.GZIP.decode(padded, compressed.length, 1024)).isEqualTo(JSON);
  }

  @Test
  void aBodyThatInflatesOverTheLimitIs413AndOneAtTheLimitIsNot() throws IOException {
    byte[] compressed = gzip(JSON);
    assertThat(BodyEncoding.GZIP.decode(compressed, compressed.length, JSON.length))
        .isEqualTo(JSON);
    assertThatThrownBy(
            () -> BodyEncoding.GZIP.decode(compressed, compressed.length, JSON.length - 1))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessage(
            "Payload Too Large: the request body is over the limit of "
                + (JSON.length - 1)
                + " bytes");
  }

  @Test
  void bytesThatAreNotTheirCodingAre400NamingIt() {
    assertThatThrownBy(() -> BodyEncoding.GZIP.decode(JSON, JSON.length, 1024))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("The request body is not valid gzip data, as its Content-Encoding says it is");
    assertThatThrownBy(() -> BodyEncoding.DEFLATE.decode(JSON, JSON.length, 1024))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "The request body is not valid deflate data, as its Content-Encoding says it is");
  }

  private static byte[] gzip(byte[] plain) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(compressed)) {
      out.write(plain);
    }
    return compressed.toByteArray();
  }

  private static byte[] deflate(byte[] plain) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = new DeflaterOutputStream(compressed)) {
      out.write(plain);
    }
    return compressed.toByteArray();
  }
}
