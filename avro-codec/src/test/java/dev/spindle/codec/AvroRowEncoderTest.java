package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroRowEncoderTest {

    @Test
    void varintsMatchAvrosEncoderAtEveryLengthBoundary() throws IOException {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1_357_053_108_000_000L));
        for (int bits = 1; bits < 64; bits++) {
            long power = 1L << bits;
            for (long delta = -1; delta <= 1; delta++) {
                values.add(power + delta);
                values.add(-power + delta);
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        byte[] buffer = new byte[32];
        for (long value : values) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            BinaryEncoder avro = EncoderFactory.get().directBinaryEncoder(expected, null);
            avro.writeLong(value);
            avro.flush();
            Arrays.fill(buffer, (byte) 0x55);
            int end = AvroRowEncoder.writeLong(buffer, 3, value);
            assertArrayEquals(expected.toByteArray(), Arrays.copyOfRange(buffer, 3, end), "value " + value);
        }
    }
}
