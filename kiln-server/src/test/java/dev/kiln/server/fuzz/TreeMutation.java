package dev.kiln.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One structural change to a generated document, at the node found at relative position {@code at}
 * (0 to 1) of a pre-order walk, so the same mutation applies to any document. The result is still
 * JSON-shaped text (unless the change writes verbatim text), but with a value of the wrong type, a
 * member too many or too few, a duplicate key, or nesting past limits.
 */
record TreeMutation(double at, Action action) {

  /** What happens at the chosen node. */
  sealed interface Action {
    /** The node becomes another value. */
    record Replace(Doc with) implements Action {}

    /** The node leaves its object or array. */
    record Remove() implements Action {}

    /** The node appears twice in its object (the same key twice) or array. */
    record Duplicate() implements Action {}

    /**
     * An object gains a member, an array an item; a scalar becomes an array of itself and the
     * value.
     */
    record Add(String key, Doc value) implements Action {}

    record WrapInArray() implements Action {}

    /** The node becomes a string holding its JSON text. */
    record Stringify() implements Action {}

    /** The node is wrapped in {@code depth} arrays. */
    record Nest(int depth) implements Action {}
  }

  @Override
  public String toString() {
    return "TreeMutation[at=" + at + ", action=" + Printable.text(action.toString(), 300) + "]";
  }

  Doc applyTo(Doc root) {
    int target = Math.min((int) (at * size(root)), size(root) - 1);
    if (target == 0 && action instanceof Action.Remove) {
      return new Doc.Raw("");
    }
    if (target == 0 && action instanceof Action.Duplicate) {
      return new Doc.Raw(
          root.write() + root.write()); // two JSON values: "more after the JSON value"
    }
    return new Walker(target, action).visit(root);
  }

  private static int size(Doc node) {
    return switch (node) {
      case Doc.Obj object ->
          1 + object.members().stream().mapToInt(member -> size(member.getValue())).sum();
      case Doc.Arr array -> 1 + array.items().stream().mapToInt(TreeMutation::size).sum();
      default -> 1;
    };
  }

  /** Rebuilds the document, counting nodes in pre-order until it reaches the target. */
  private static final class Walker {
    private final int target;
    private final Action action;
    private int next;

    Walker(int target, Action action) {
      this.target = target;
      this.action = action;
    }

    Doc visit(Doc node) {
      if (next++ == target) {
        return changed(node);
      }
      return switch (node) {
        case Doc.Obj object -> new Doc.Obj(members(object.members()));
        case Doc.Arr array -> new Doc.Arr(items(array.items()));
        default -> node;
      };
    }

    private List<Map.Entry<String, Doc>> members(List<Map.Entry<String, Doc>> members) {
      List<Map.Entry<String, Doc>> out = new ArrayList<>();
      for (Map.Entry<String, Doc> member : members) {
        boolean targeted = next == target;
        if (targeted && action instanceof Action.Remove) {
          next += size(member.getValue());
          continue;
        }
        Map.Entry<String, Doc> visited = Map.entry(member.getKey(), visit(member.getValue()));
        out.add(visited);
        if (targeted && action instanceof Action.Duplicate) {
          out.add(visited);
        }
      }
      return out;
    }

    private List<Doc> items(List<Doc> items) {
      List<Doc> out = new ArrayList<>();
      for (Doc item : items) {
        boolean targeted = next == target;
        if (targeted && action instanceof Action.Remove) {
          next += size(item);
          continue;
        }
        Doc visited = visit(item);
        out.add(visited);
        if (targeted && action instanceof Action.Duplicate) {
          out.add(visited);
        }
      }
      return out;
    }

    private Doc changed(Doc node) {
      return switch (action) {
        case Action.Replace replace -> replace.with();
        case Action.Add add -> added(node, add);
        case Action.WrapInArray wrap -> Doc.Arr.of(node);
        case Action.Stringify stringify -> Doc.str(node.write());
        case Action.Nest nest ->
            new Doc.Raw("[".repeat(nest.depth()) + node.write() + "]".repeat(nest.depth()));
        case Action.Remove remove -> node; // handled by the parent
        case Action.Duplicate duplicate -> node; // handled by the parent
      };
    }

    private static Doc added(Doc node, Action.Add add) {
      return switch (node) {
        case Doc.Obj object -> object.with(add.key(), add.value());
        case Doc.Arr array -> {
          List<Doc> more = new ArrayList<>(array.items());
          more.add(add.value());
          yield new Doc.Arr(more);
        }
        default -> Doc.Arr.of(node, add.value());
      };
    }
  }
}
