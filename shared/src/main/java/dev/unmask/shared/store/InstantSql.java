package dev.unmask.shared.store;

/**
 * A {@code timestamptz} rendered in SQL exactly as {@link java.time.Instant#toString()} renders it
 * ({@code 2026-12-01T12:21:06.642916Z}: UTC, the fraction in groups of three digits, none when
 * zero), so JSON built inside a statement says what JSON built in Java from the same row would.
 */
final class InstantSql {
    private InstantSql() {}

    /** The SQL expression rendering {@code column} (a timestamptz expression). */
    static String text(String column) {
        String utc = "(" + column + " AT TIME ZONE 'UTC')";
        return "(to_char(" + utc + ", 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN to_char(" + utc + ", 'US') = '000000' "
                + "THEN '' WHEN right(to_char(" + utc + ", 'US'), 3) = '000' THEN '.' || to_char(" + utc + ", 'MS') "
                + "ELSE '.' || to_char(" + utc + ", 'US') END || 'Z')";
    }
}
