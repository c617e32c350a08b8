package dev.kiln.server.multinode;

import static dev.kiln.server.testing.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The downloaded bundle of a segment export: a zip of zips, each of one NDJSON file. */
final class ExportBundle {
  private ExportBundle() {}

  /**
   * The bundle holds {@code files} files (one per 5,000 users), each a zip of one NDJSON file, and
   * every member once.
   */
  static void assertEveryMemberOnce(
      HttpResponse<byte[]> download, KilnNode node, List<String> members, int files)
      throws IOException {
    assertThat(download.statusCode()).as("download through %s", node).isEqualTo(200);
    List<Map.Entry<String, byte[]>> bundle = unzip(download.body());
    assertThat(bundle.stream().map(Map.Entry::getKey).toList())
        .as("files in the bundle downloaded through %s", node)
        .hasSize(files)
        .doesNotHaveDuplicates();
    List<String> externalIds = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : bundle) {
      List<Map.Entry<String, byte[]>> entries = unzip(file.getValue());
      assertThat(entries).as("entries of " + file.getKey()).hasSize(1);
      String ndjson = new String(entries.getFirst().getValue(), StandardCharsets.UTF_8);
      for (String line : ndjson.split("\n")) {
        externalIds.add(json(line).path("external_id").asText());
      }
    }
    Map<String, Long> timesWritten =
        externalIds.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    Set<String> repeated =
        new TreeSet<>(
            timesWritten.entrySet().stream()
                .filter(id -> id.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList());
    Set<String> missing =
        new TreeSet<>(members.stream().filter(id -> !timesWritten.containsKey(id)).toList());
    assertThat(repeated)
        .as("users written more than once (%d), downloaded through %s", repeated.size(), node)
        .isEmpty();
    assertThat(missing)
        .as("users not written (%d), downloaded through %s", missing.size(), node)
        .isEmpty();
    assertThat(externalIds)
        .as("lines in the export downloaded through %s", node)
        .hasSize(members.size());
  }

  /** The entries of a ZIP in order, as a list so that two entries of one name both show. */
  private static List<Map.Entry<String, byte[]>> unzip(byte[] zip) throws IOException {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.add(Map.entry(entry.getName(), in.readAllBytes()));
      }
    }
    return entries;
  }
}
