package io.kohakuvault.cli;

/** How one column element is written as text: on one line, whatever it holds. */
final class Elements {
    private Elements() {}

    /**
     * @param element a column element
     * @return bytes as {@code 0x} hex; text with backslash, newline, carriage return and tab
     *     escaped; numbers as Java writes them; anything else as its {@code toString}
     */
    static String text(Object element) {
        if (element instanceof byte[] bytes) {
            return KeyText.hex(bytes);
        }
        if (element instanceof String s) {
            return s.replace("\\", "\\\\")
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                    .replace("\t", "\\t");
        }
        return String.valueOf(element);
    }

    /**
     * @param element a column element
     * @return it as one CSV cell: like {@link #text} but text unescaped (CSV quotes it as needed)
     */
    static String cell(Object element) {
        return element instanceof String s ? s : text(element);
    }
}
