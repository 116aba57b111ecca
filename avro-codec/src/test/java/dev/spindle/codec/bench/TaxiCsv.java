package dev.spindle.codec.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Generates NYC-taxi-shaped CSV (the 14 columns of the 2013 trip_data files), deterministically. */
public final class TaxiCsv {

    public static final String HEADER = "medallion,hack_license,vendor_id,rate_code,store_and_fwd_flag,pickup_datetime,"
            + "dropoff_datetime,passenger_count,trip_time_in_secs,trip_distance,pickup_longitude,pickup_latitude,"
            + "dropoff_longitude,dropoff_latitude\n";

    private static final java.time.format.DateTimeFormatter SECONDS = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TaxiCsv() {
    }

    /** Records (no header) until at least {@code bytes} bytes, each ending with {@code \n}. */
    public static byte[] records(long bytes, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes + 256);
        StringBuilder line = new StringBuilder(200);
        long start = 1356998400L; // 2013-01-01T00:00:00Z
        while (out.size() < bytes) {
            line.setLength(0);
            hex(line, random, 32).append(',');
            hex(line, random, 32).append(',');
            line.append(random.nextBoolean() ? "CMT" : "VTS").append(',');
            line.append(1 + random.nextInt(5)).append(',');
            int flag = random.nextInt(10);
            line.append(flag == 0 ? "Y" : flag < 5 ? "N" : "").append(',');
            long pickup = start + random.nextInt(31 * 86400);
            int duration = 60 + random.nextInt(3600);
            timestamp(line, pickup).append(',');
            timestamp(line, pickup + duration).append(',');
            line.append(1 + random.nextInt(6)).append(',');
            line.append(duration).append(',');
            decimal(line, random.nextInt(3000), 2).append(',');
            decimal(line, -74_050_000 + random.nextInt(200_000), 6).append(',');
            decimal(line, 40_650_000 + random.nextInt(200_000), 6).append(',');
            decimal(line, -74_050_000 + random.nextInt(200_000), 6).append(',');
            decimal(line, 40_650_000 + random.nextInt(200_000), 6).append('\n');
            byte[] b = line.toString().getBytes(StandardCharsets.US_ASCII);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    private static StringBuilder hex(StringBuilder s, Random random, int length) {
        for (int i = 0; i < length; i++) {
            s.append(HEX[random.nextInt(16)]);
        }
        return s;
    }

    private static StringBuilder timestamp(StringBuilder s, long epochSecond) {
        return s.append(SECONDS.format(java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.UTC)));
    }

    private static StringBuilder decimal(StringBuilder s, long scaled, int scale) {
        if (scaled < 0) {
            s.append('-');
            scaled = -scaled;
        }
        long factor = (long) Math.pow(10, scale);
        s.append(scaled / factor).append('.');
        String fraction = Long.toString(scaled % factor);
        for (int i = fraction.length(); i < scale; i++) {
            s.append('0');
        }
        return s.append(fraction);
    }
}
