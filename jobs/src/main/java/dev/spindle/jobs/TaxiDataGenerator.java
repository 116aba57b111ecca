package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * Writes a CSV shaped like the NYC taxi {@code trip_data} files of 2013: same header, similar
 * values, some empty fields; deterministic from a seed. About 165 bytes a row.
 */
public final class TaxiDataGenerator {

    public static final String HEADER = "medallion,hack_license,vendor_id,rate_code,store_and_fwd_flag,pickup_datetime,"
            + "dropoff_datetime,passenger_count,trip_time_in_secs,trip_distance,pickup_longitude,pickup_latitude,"
            + "dropoff_longitude,dropoff_latitude";
    /** passenger_count 1..6: 70%, 14%, 4%, 2%, 6%, 4% of rows; so {@code > 3} selects about 12%. */
    private static final int[] PASSENGER_PERCENT_CUMULATIVE = {70, 84, 88, 90, 96, 100};
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final long JAN_2013_EPOCH_SECONDS = 1_356_998_400L;

    private final long seed;

    public TaxiDataGenerator(long seed) {
        this.seed = seed;
    }

    /** Writes the header and {@code rows} rows, LF-terminated. */
    public void write(OutputStream out, long rows) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder line = new StringBuilder(256);
        out.write((HEADER + "\n").getBytes(US_ASCII));
        for (long row = 0; row < rows; row++) {
            line.setLength(0);
            appendRow(random, line);
            line.append('\n');
            out.write(line.toString().getBytes(US_ASCII));
        }
    }

    private static void appendRow(SplittableRandom random, StringBuilder line) {
        appendHex(random, line, 32);
        line.append(',');
        appendHex(random, line, 32);
        line.append(',').append(random.nextBoolean() ? "CMT" : "VTS");
        line.append(',').append(random.nextInt(100) < 97 ? 1 : 2 + random.nextInt(5));
        int flag = random.nextInt(100);
        line.append(',').append(flag < 50 ? "" : flag < 98 ? "N" : "Y");
        long pickup = JAN_2013_EPOCH_SECONDS + random.nextLong(31L * 24 * 3600);
        int tripSeconds = 60 + random.nextInt(3000);
        line.append(',');
        appendTimestamp(line, pickup);
        line.append(',');
        appendTimestamp(line, pickup + tripSeconds);
        line.append(',').append(passengers(random));
        line.append(',').append(tripSeconds);
        line.append(',');
        appendDecimal(line, 10 + random.nextInt(1500), 2);
        appendCoordinates(random, line, 0);
        appendCoordinates(random, line, 5);
    }

    private static int passengers(SplittableRandom random) {
        int percent = random.nextInt(100);
        for (int i = 0; i < PASSENGER_PERCENT_CUMULATIVE.length; i++) {
            if (percent < PASSENGER_PERCENT_CUMULATIVE[i]) {
                return i + 1;
            }
        }
        return 1;
    }

    /** Longitude and latitude around Manhattan; {@code emptyPerMille} of pairs are empty. */
    private static void appendCoordinates(SplittableRandom random, StringBuilder line, int emptyPerMille) {
        if (random.nextInt(1000) < emptyPerMille) {
            line.append(",,");
            return;
        }
        line.append(",-");
        appendDecimal(line, 73_900_000 + random.nextInt(150_000), 6);
        line.append(',');
        appendDecimal(line, 40_700_000 + random.nextInt(150_000), 6);
    }

    private static void appendDecimal(StringBuilder line, long scaled, int fractionDigits) {
        long unit = 1;
        for (int i = 0; i < fractionDigits; i++) {
            unit *= 10;
        }
        line.append(scaled / unit).append('.');
        String fraction = Long.toString(scaled % unit);
        for (int i = fraction.length(); i < fractionDigits; i++) {
            line.append('0');
        }
        line.append(fraction);
    }

    private static void appendHex(SplittableRandom random, StringBuilder line, int digits) {
        for (int i = 0; i < digits; i++) {
            line.append(HEX[random.nextInt(16)]);
        }
    }

    private static void appendTimestamp(StringBuilder line, long epochSeconds) {
        java.time.LocalDateTime time = java.time.LocalDateTime.ofEpochSecond(epochSeconds, 0, java.time.ZoneOffset.UTC);
        line.append(time.getYear()).append('-');
        twoDigits(line, time.getMonthValue());
        line.append('-');
        twoDigits(line, time.getDayOfMonth());
        line.append(' ');
        twoDigits(line, time.getHour());
        line.append(':');
        twoDigits(line, time.getMinute());
        line.append(':');
        twoDigits(line, time.getSecond());
    }

    private static void twoDigits(StringBuilder line, int value) {
        if (value < 10) {
            line.append('0');
        }
        line.append(value);
    }
}
