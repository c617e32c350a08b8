package dev.kiln.core.profile;

import java.util.Objects;

/** How an object names its user: one of Braze's five identifier kinds. */
public sealed interface UserLookup {

  /** The identifier as Braze's responses quote it, for {@code invalid_user_ids} and logs. */
  String describe();

  record ExternalId(String value) implements UserLookup {
    public ExternalId {
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String describe() {
      return value;
    }
  }

  record Alias(UserAlias alias) implements UserLookup {
    public Alias {
      Objects.requireNonNull(alias, "alias == null");
    }

    @Override
    public String describe() {
      return alias.aliasLabel() + ":" + alias.aliasName();
    }
  }

  record BrazeId(String value) implements UserLookup {
    public BrazeId {
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String describe() {
      return value;
    }
  }

  record Email(String value) implements UserLookup {
    public Email {
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String describe() {
      return value;
    }
  }

  record Phone(String value) implements UserLookup {
    public Phone {
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String describe() {
      return value;
    }
  }
}
