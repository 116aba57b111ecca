package dev.spindle.jobs.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link BoundFilter#select} (and so of {@link FilterKernels}) over one batch of
 * 4096 taxi-like rows, 10% nulls. Run it with:
 *
 * <pre>
 * mvn -q -B -pl jobs -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   -cp jobs/target/test-classes:jobs/target/classes:$(cat /tmp/cp.txt) \
 *   org.openjdk.jmh.Main FilterKernelsBenchmark
 * </pre>
 *
 * <p>Measured on the 2-core build machine with a load average of about 4 (so rough): 9-11 us
 * per batch for one long or double comparison (about 2.5 ns per row), 25 us for one string
 * comparison, 24 us for the example filter, 46 us for the last one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.nio=ALL-UNNAMED")
public class FilterKernelsBenchmark {

  private static final int ROWS = 4096;
  private static final Schema SCHEMA = TestBatches.schema(
      "passenger_count", TestBatches.LONG, "trip_distance", TestBatches.DOUBLE,
      "vendor_id", TestBatches.STRING, "store_and_fwd_flag", TestBatches.BOOL);

  @Param({
      "passenger_count > 3",
      "trip_distance <= 2.5",
      "vendor_id = 'CMT'",
      "vendor_id < 'VTS'",
      "passenger_count > 3 AND (vendor_id = 'CMT' OR trip_distance IS NULL)",
      "NOT store_and_fwd_flag = TRUE OR vendor_id IN ('CMT', 'DDS')"
  })
  public String filter;

  private RootAllocator allocator;
  private VectorSchemaRoot batch;
  private BoundFilter bound;
  private int[] selection;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    Random random = new Random(42);
    String[] vendors = {"CMT", "VTS", "DDS"};
    List<Object[]> rows = new ArrayList<>(ROWS);
    for (int i = 0; i < ROWS; i++) {
      rows.add(new Object[] {
          nullOr(random, (long) random.nextInt(7)),
          nullOr(random, random.nextDouble() * 20),
          nullOr(random, vendors[random.nextInt(vendors.length)]),
          nullOr(random, random.nextBoolean())});
    }
    batch = TestBatches.batch(allocator, SCHEMA, rows);
    bound = FilterExpression.parse(filter).bind(SCHEMA);
    selection = new int[ROWS];
  }

  private static Object nullOr(Random random, Object value) {
    return random.nextInt(10) == 0 ? null : value;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    batch.close();
    allocator.close();
  }

  @Benchmark
  public int select() {
    return bound.select(batch, selection);
  }
}
