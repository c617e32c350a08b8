package dev.kiln.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A recipe for one request body: a generated document, structural mutations of it, then byte
 * mutations of its text. It holds placeholders ({@code {T}} for the try's tag, {@code {S0}} for a
 * fixture segment...) that are filled in only when the request is sent, so a body names objects of
 * its own try, never those of an earlier one.
 *
 * @param contentType the Content-Type header, or null to send none
 */
record FuzzRequest(
    Doc document,
    List<TreeMutation> treeMutations,
    List<ByteMutation> byteMutations,
    String contentType) {
  static final String JSON = "application/json";

  FuzzRequest {
    treeMutations = List.copyOf(treeMutations);
    byteMutations = List.copyOf(byteMutations);
  }

  static FuzzRequest of(Doc document) {
    return new FuzzRequest(document, List.of(), List.of(), JSON);
  }

  /** The bytes to send, with every placeholder replaced. */
  byte[] render(Map<String, String> placeholders) {
    Doc mutated = document;
    for (TreeMutation mutation : treeMutations) {
      mutated = mutation.applyTo(mutated);
    }
    String text = mutated.write();
    for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
      text = text.replace(placeholder.getKey(), placeholder.getValue());
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (ByteMutation mutation : byteMutations) {
      bytes = mutation.apply(bytes);
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "FuzzRequest[document="
        + Printable.text(document.write(), 1500)
        + ", treeMutations="
        + treeMutations
        + ", byteMutations="
        + byteMutations
        + ", contentType="
        + contentType
        + "]";
  }
}
