package dev.tfree4j.text;

/**
 * Text from a user's file, made safe to put in an error message: quoted, terminal control
 * characters escaped (a word holding ESC sequences must not repaint the user's terminal), and
 * cut after {@link #MAX_CODE_POINTS} code points (a "dictionary" that is really some other file
 * must not be echoed wholesale into a log).
 */
public final class MessageText {
    /** Code points of a quoted text shown before it is cut. */
    public static final int MAX_CODE_POINTS = 32;

    private MessageText() {}

    /** {@code s} in double quotes, escaped and cut: {@code "root:x:0:0:…" (+120 more characters)}. */
    public static String quote(String s) {
        return s == null ? "null" : shown(s, '"');
    }

    /** {@code s} in single quotes, escaped and cut, for messages that quote that way. */
    public static String quoteSingle(String s) {
        return s == null ? "null" : shown(s, '\'');
    }

    private static String shown(String s, char quote) {
        StringBuilder out = new StringBuilder().append(quote);
        int shown = 0, i = 0;
        while (i < s.length() && shown < MAX_CODE_POINTS) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            switch (cp) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"', '\'' -> out.append(cp == quote ? "\\" : "").appendCodePoint(cp);
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT && cp != 0x200D) {
                        out.append(String.format("\\u%04X", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        }
        out.append(quote);
        int rest = s.codePointCount(i, s.length());
        if (rest > 0) out.append("… (+").append(rest).append(" more characters)");
        return out.toString();
    }
}
