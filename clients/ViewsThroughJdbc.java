// The views as a BI tool on JDBC reads them (Metabase, FineBI, DBeaver):
// the driver's DatabaseMetaData for every parcel_gov view (types, REMARKS),
// and a filter on every code column the way such tools send it, setString,
// with the driver's default settings (no stringtype=unspecified).  A code
// column of an enum type would come back as OTHER or DISTINCT and its
// varchar parameter would fail ("operator does not exist").
// Prints "ok - ..." / "not ok - ..."; env CLIENT_HOST, CLIENTS_PORT,
// CLIENT_DB, CLIENT_USER, CLIENT_PASSWORD.
import java.sql.*;
import java.util.*;
import java.util.regex.Pattern;

public class ViewsThroughJdbc {
    // code columns: filtered by value in BI tools; arrays: with = ANY
    static final Pattern CODE = Pattern.compile(
        "code|parcel_code|uscc|holder_uscc|region_code|region_prefix|industry_code|pool|batch|state|register_state"
        + "|level|promise|move|grade|grade_initial|grade_prev|grade_or_t|current_grade|simulated_grade|not_graded|next_grade");
    static final Pattern CODES = Pattern.compile("kinds|reasons|parcel_codes");
    static final Pattern CHINESE = Pattern.compile(".*[\\u4e00-\\u9fff].*", Pattern.DOTALL);
    static int failed = 0, filteredWithRows = 0;

    static void check(boolean good, String what) {
        System.out.println((good ? "ok - " : "not ok - ") + what);
        if (!good) failed++;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String literal(String v) { return "'" + v.replace("'", "''") + "'"; }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("CLIENT_HOST") + ":" + System.getenv("CLIENTS_PORT")
            + "/" + System.getenv("CLIENT_DB");
        try (Connection c = DriverManager.getConnection(url, System.getenv("CLIENT_USER"), System.getenv("CLIENT_PASSWORD"))) {
            DatabaseMetaData md = c.getMetaData();
            List<String> views = new ArrayList<>();
            try (ResultSet r = md.getTables(null, "parcel_gov", "v_%", new String[] {"VIEW"})) {
                while (r.next()) views.add(r.getString("TABLE_NAME"));
            }
            long expected = count(c, "SELECT count(*) FROM pg_class WHERE relnamespace = 'parcel_gov'::regnamespace AND relkind = 'v'");
            check(views.size() == expected, "getTables lists every view (" + views.size() + " of " + expected + ")");
            for (String v : views) view(c, md, v);
            check(filteredWithRows >= 30, "setString filters returned rows on " + filteredWithRows + " code columns (at least 30)");

            // a real value read back: grade D's label, Chinese intact
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT DISTINCT grade_label FROM parcel_gov.v_parcel_efficiency WHERE grade = ? AND year = ?")) {
                p.setString(1, "D");
                p.setInt(2, 2024);
                try (ResultSet r = p.executeQuery()) {
                    List<String> labels = new ArrayList<>();
                    while (r.next()) labels.add(r.getString(1));
                    check(labels.equals(List.of("落后整治")), "grade = 'D' by setString reads grade_label 落后整治 " + labels);
                }
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    static void view(Connection c, DatabaseMetaData md, String v) throws SQLException {
        List<String> bad = new ArrayList<>(), codes = new ArrayList<>(), lists = new ArrayList<>();
        int columns = 0;
        try (ResultSet r = md.getColumns(null, "parcel_gov", v, "%")) {
            while (r.next()) {
                columns++;
                String col = r.getString("COLUMN_NAME"), type = r.getString("TYPE_NAME");
                int jdbc = r.getInt("DATA_TYPE");
                String remarks = r.getString("REMARKS");
                boolean geometry = col.equals("geom") && type.equals("geometry");
                if ((jdbc == Types.OTHER && !geometry) || jdbc == Types.DISTINCT || jdbc == Types.JAVA_OBJECT
                        || jdbc == Types.STRUCT || type.equals("unknown"))
                    bad.add(col + " is " + type + " (java.sql.Types " + jdbc + ")");
                if (remarks == null || !CHINESE.matcher(remarks).matches())
                    bad.add(col + " has no Chinese REMARKS");
                boolean number = jdbc == Types.BIGINT || jdbc == Types.INTEGER;   // v_region_summary.not_graded counts
                if (CODE.matcher(col).matches() && !number) {
                    if (jdbc != Types.VARCHAR || !type.equals("text")) bad.add(col + " is " + type + ", not text");
                    codes.add(col);
                }
                if (CODES.matcher(col).matches()) {
                    if (jdbc != Types.ARRAY || !type.equals("_text")) bad.add(col + " is " + type + ", not text[]");
                    lists.add(col);
                }
            }
        }
        check(columns > 0 && bad.isEmpty(), v + ": " + columns + " columns, plain types, REMARKS in Chinese" + (bad.isEmpty() ? "" : " " + bad));
        for (String col : codes) filter(c, v, col, false);
        for (String col : lists) filter(c, v, col, true);
    }

    // WHERE col = ? (or ? = ANY (col)) with setString of a value the view
    // holds: as many rows as the same filter written as a literal
    static void filter(Connection c, String v, String col, boolean list) throws SQLException {
        String value = null;
        String pick = list
            ? "SELECT x FROM parcel_gov." + v + ", unnest(" + col + ") AS x LIMIT 1"
            : "SELECT " + col + " FROM parcel_gov." + v + " WHERE " + col + " IS NOT NULL LIMIT 1";
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(pick)) {
            if (r.next()) value = r.getString(1);
        }
        String where = list ? "? = ANY (" + col + ")" : col + " = ?";
        String what = v + " WHERE " + where;
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM parcel_gov." + v + " WHERE " + where)) {
            p.setString(1, value == null ? "no such code" : value);
            long got;
            try (ResultSet r = p.executeQuery()) { r.next(); got = r.getLong(1); }
            if (value == null) {
                check(got == 0, what + ": runs (no value in the demo to look for)");
                return;
            }
            String lit = list ? literal(value) + " = ANY (" + col + ")" : col + " = " + literal(value);
            long want = count(c, "SELECT count(*) FROM parcel_gov." + v + " WHERE " + lit);
            check(got > 0 && got == want, what + " with '" + value + "': " + got + " rows (literal: " + want + ")");
            filteredWithRows++;
        } catch (SQLException e) {
            check(false, what + ": " + e.getMessage());
        }
    }
}
