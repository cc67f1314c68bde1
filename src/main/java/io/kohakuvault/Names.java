package io.kohakuvault;

/** The rule for store and column names: stored as data, never spliced into SQL, so any characters are safe. */
final class Names {
    private Names() {}

    /** @return whether {@code name} is 1 to {@link VaultBuilder#MAX_NAME_LENGTH} characters */
    static boolean isValid(String name) {
        return !name.isEmpty() && name.length() <= VaultBuilder.MAX_NAME_LENGTH;
    }

    /**
     * @param name a store name, possibly null
     * @return the name
     * @throws InvalidArgumentException when it is null, empty or too long
     */
    static String checkStore(String name) {
        if (name == null || !isValid(name)) {
            throw new InvalidArgumentException(
                    "store name must be 1 to " + VaultBuilder.MAX_NAME_LENGTH + " characters, but was "
                            + (name == null ? "null" : "'" + name + "' (" + name.length() + " characters)"));
        }
        return name;
    }

    /**
     * @param name a column name, possibly null
     * @return the name
     * @throws InvalidArgumentException when it is null, empty or too long
     */
    static String checkColumn(String name) {
        if (name == null || !isValid(name)) {
            throw new InvalidArgumentException(
                    "column name must be 1 to " + VaultBuilder.MAX_NAME_LENGTH + " characters, but was "
                            + (name == null ? "null" : "'" + name + "' (" + name.length() + " characters)"));
        }
        return name;
    }
}
