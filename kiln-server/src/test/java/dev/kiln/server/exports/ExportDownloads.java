package dev.kiln.server.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Downloads and unpacks what a client of a segment export receives. */
public final class ExportDownloads {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private ExportDownloads() {}

  public static HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The files inside a bundle ZIP, by name, as bytes. */
  public static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        files.put(entry.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  /** The NDJSON lines of one export file, a .zip holding one .json, or a .gz. */
  public static List<String> lines(String fileName, byte[] file) throws IOException {
    String text;
    if (fileName.endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } else {
      Map<String, byte[]> inner = entries(file);
      assertThat(inner).as("entries of %s", fileName).hasSize(1);
      String json = inner.keySet().iterator().next();
      assertThat(json)
          .as("the file inside %s", fileName)
          .isEqualTo(fileName.replace(".zip", ".json"));
      text = new String(inner.get(json), StandardCharsets.UTF_8);
    }
    assertThat(text).as("%s ends with a newline", fileName).endsWith("\n");
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    return lines;
  }
}
