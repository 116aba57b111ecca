package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BadRecord;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.Column;
import dev.spindle.codec.ColumnType;
import dev.spindle.codec.RawRecord;
import dev.spindle.codec.RawRecordFilter;
import dev.spindle.codec.RowFilter;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.TableSchema;
import dev.spindle.codec.TimestampUnit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused path against the Arrow path, on seeded-random CSV (nulls, empty strings, null
 * tokens, values that do not parse, quoted fields, doubled quotes, quoted line breaks, ragged
 * records, invalid UTF-8, blank lines) and seeded-random filters over every operator and literal
 * kind ({@link BoundFilterDifferentialTest#randomNode}): {@link BatchBuilder#drainTo(
 * dev.spindle.codec.BatchWriter, dev.spindle.codec.RowFilter)} must write the same Avro
 * records, filter the same number of rows and reject the same records (reason, line, offset,
 * column) as typed Arrow batches, {@link BoundFilter#select} and {@code write(batch, selection)}.
 * The seed is random unless {@code -Dspindle.filter.seed=N} pins it; failures name it.
 */
class FusedFilterDifferentialTest {

  private static final int TABLES = 80;
  private static final int FILTERS_PER_TABLE = 6;

  /** The filterable columns, as in BoundFilterDifferentialTest's NAMES; then two others. */
  private static final ColumnType[] TYPES = {ColumnType.BOOLEAN, ColumnType.LONG,
      ColumnType.DOUBLE, ColumnType.DATE, ColumnType.TIMESTAMP_LOCAL,
      ColumnType.TIMESTAMP_INSTANT, ColumnType.STRING, ColumnType.LONG, ColumnType.STRING};
  private static final String[] AVRO_NAMES = {"flag", "n", "x", "d", "ts", "tsz", "vendor_id",
      "extra_n", "note"};
  private static final String[] BAD = {"4x", "abc", "1.2.3", "2024-13-45", "--", " 1", "tru",
      "2024-01-31 25:00:00", "1e", "NaNx"};

  private static RootAllocator ALLOCATOR;

  @BeforeAll
  static void allocate() {
    ALLOCATOR = new RootAllocator();
  }

  @AfterAll
  static void release() {
    ALLOCATOR.close();
  }

  @Test
  void fusedPathWritesFiltersAndRejectsExactlyAsTheArrowPath() throws IOException {
    long seed = Long.getLong("spindle.filter.seed", new Random().nextLong());
    Random random = new Random(seed);
    long directRows = 0;
    long[] tests = new long[1];
    long rowsFiltered = 0;
    long rejected = 0;
    for (int t = 0; t < TABLES; t++) {
      TableCase table = randomTable(random);
      byte[] csv = randomCsv(random, table);
      for (int f = 0; f < FILTERS_PER_TABLE; f++) {
        String text = BoundFilterDifferentialTest.randomNode(random, 0).render(random, 0)
            .replace("\"vendor id\"", "vendor_id");
        int tableIndex = t;
        int filterIndex = f;
        Supplier<String> context = () -> "seed " + seed + ", table " + tableIndex + " "
            + table.schema.columns() + " " + table.dialect + ", columns " + table.columns
            + ", filter " + filterIndex + ": " + text + "\n" + new String(csv, StandardCharsets.UTF_8);
        BoundFilter filter;
        try {
          filter = FilterExpression.parse(text).bind(table.schema.toArrowSchema());
        } catch (IllegalArgumentException e) {
          continue; // a literal the column's type rejects (e.g. a timestamp with an offset)
        }
        Outcome arrow = arrowPath(table, csv, filter);
        Outcome fused = fusedPath(table, csv, new CountingFilter(filter, tests));
        assertEquals(arrow.rejects, fused.rejects, () -> "rejects, " + context.get());
        assertEquals(arrow.filtered, fused.filtered, () -> "rows filtered, " + context.get());
        assertEquals(arrow.records, fused.records, () -> "records written, " + context.get());
        assertEquals(arrow.read, fused.read, () -> "records read, " + context.get());
        assertEquals(fused.read, fused.records.size() + fused.filtered + fused.rejects.size(),
            () -> "written + filtered + rejected = read, " + context.get());
        directRows += fused.directRows;
        rowsFiltered += fused.filtered;
        rejected += fused.rejects.size();
      }
    }
    // the cases reach the direct path, its drops and the rejects, not only the fallback
    assertTrue(directRows > 1000, "seed " + seed + ": only " + directRows + " direct rows");
    assertTrue(tests[0] > 5000, "seed " + seed + ": only " + tests[0] + " raw records tested");
    assertTrue(rowsFiltered > 1000, "seed " + seed + ": only " + rowsFiltered + " rows filtered");
    assertTrue(rejected > 100, "seed " + seed + ": only " + rejected + " rejects");
  }

  private record TableCase(TableSchema schema, CsvDialect dialect, List<String> columns,
      int syncInterval) {}

  private record Outcome(List<GenericRecord> records, long filtered, List<BadRecord> rejects,
      long read, long directRows) {}

  private static Outcome arrowPath(TableCase table, byte[] csv, BoundFilter filter)
      throws IOException {
    List<BadRecord> rejects = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long filtered = 0;
    long read;
    try (BatchBuilder batches = BatchBuilder.builder(table.schema, ALLOCATOR)
        .dialect(table.dialect).batchRows(64).badRecords(rejects::add).build()) {
      AvroBatchWriter writer = writer(table, out);
      try (writer) {
        batches.reset(csv, 0, csv.length, 0, 1);
        int[] selection = new int[64];
        while (batches.next()) {
          int selected = filter.select(batches.root(), selection);
          writer.write(batches.root(), selection, selected);
          filtered += batches.root().getRowCount() - selected;
        }
      }
      read = batches.recordsIn();
    }
    return new Outcome(read(out), filtered, rejects, read, 0);
  }

  /** The filter, counting the raw records the direct path asks it about. */
  private record CountingFilter(BoundFilter filter, long[] tests) implements RowFilter {

    @Override
    public int select(VectorSchemaRoot batch, int[] selection) {
      return filter.select(batch, selection);
    }

    @Override
    public Optional<RawRecordFilter> rawRecords() {
      RawRecordFilter raw = filter.rawRecords().orElseThrow();
      return Optional.of(new RawRecordFilter() {
        @Override
        public int[] columns() {
          return raw.columns();
        }

        @Override
        public boolean test(RawRecord record) {
          tests[0]++;
          return raw.test(record);
        }
      });
    }
  }

  private static Outcome fusedPath(TableCase table, byte[] csv, RowFilter filter)
      throws IOException {
    List<BadRecord> rejects = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long written;
    long read;
    long rowsOut;
    AvroBatchWriter writer = writer(table, out);
    try (BatchBuilder batches = BatchBuilder.builder(table.schema, ALLOCATOR)
        .dialect(table.dialect).batchRows(64).badRecords(rejects::add).build()) {
      try (writer) {
        batches.reset(csv, 0, csv.length, 0, 1);
        written = batches.drainTo(writer, filter);
      }
      read = batches.recordsIn();
      rowsOut = batches.rowsOut();
    }
    List<GenericRecord> records = read(out);
    assertEquals(records.size(), written, "rows drainTo wrote");
    return new Outcome(records, rowsOut - written, rejects, read, writer.directRows());
  }

  private static AvroBatchWriter writer(TableCase table, ByteArrayOutputStream out) {
    return AvroBatchWriter.builder(table.schema, out).columns(table.columns)
        .syncIntervalBytes(table.syncInterval).build();
  }

  private static List<GenericRecord> read(ByteArrayOutputStream out) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (DataFileStream<GenericRecord> stream = new DataFileStream<>(
        new ByteArrayInputStream(out.toByteArray()), new GenericDatumReader<>())) {
      while (stream.hasNext()) {
        records.add(stream.next());
      }
    }
    return records;
  }

  // ---- random tables and records ----

  private static TableCase randomTable(Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < TYPES.length; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<Column> columns = new ArrayList<>();
    for (int i : order) {
      Column column = new Column(AVRO_NAMES[i],
          i < BoundFilterDifferentialTest.NAMES.length ? BoundFilterDifferentialTest.NAMES[i]
              : AVRO_NAMES[i], TYPES[i], random.nextInt(10) != 0);
      if (TYPES[i].isTimestamp() && random.nextInt(8) == 0) {
        column = column.withTimestampUnit(TimestampUnit.MILLIS);
      }
      columns.add(column);
    }
    TableSchema schema = new TableSchema(columns);
    List<String> written = new ArrayList<>();
    for (Column column : columns) {
      if (random.nextInt(3) != 0) {
        written.add(column.name());
      }
    }
    if (written.isEmpty()) {
      written.add(columns.get(random.nextInt(columns.size())).name());
    }
    if (random.nextInt(10) == 0) {
      Collections.reverse(written); // not in table order: no direct path, Arrow batches only
    }
    List<List<String>> nullTokens = List.of(List.of(""), List.of("", "NA"), List.of("NULL"),
        List.of("", "null", "1"));
    CsvDialect.Builder dialect = CsvDialect.builder()
        .nullTokens(nullTokens.get(random.nextInt(nullTokens.size())));
    if (random.nextInt(6) == 0) {
      dialect.commentPrefix("#");
    }
    int[] syncIntervals = {64, 1024, AvroBatchWriter.SYNC_INTERVAL_DEFAULT};
    return new TableCase(schema, dialect.build(), written,
        syncIntervals[random.nextInt(syncIntervals.length)]);
  }

  private static byte[] randomCsv(Random random, TableCase table) {
    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    int rows = random.nextInt(400);
    double nullRate = random.nextInt(3) * 0.15;
    double badRate = random.nextInt(3) == 0 ? 0 : 0.005;
    double quoteRate = random.nextInt(3) == 0 ? 0 : 0.05;
    String[] lineEnds = {"\n", "\r\n", "\r"};
    String lineEnd = lineEnds[random.nextInt(lineEnds.length)];
    TableSchema schema = table.schema;
    for (int r = 0; r < rows; r++) {
      if (random.nextInt(200) == 0) {
        csv.writeBytes(lineEnd.getBytes(StandardCharsets.UTF_8)); // blank line
      }
      if (random.nextInt(200) == 0) {
        csv.writeBytes(("# a comment" + lineEnd).getBytes(StandardCharsets.UTF_8));
      }
      int fields = schema.size();
      if (random.nextInt(300) == 0) {
        fields += random.nextBoolean() ? 1 : -1; // ragged
      }
      for (int c = 0; c < fields; c++) {
        if (c > 0) {
          csv.write(',');
        }
        int source = c < schema.size() ? indexOf(schema.column(c).name()) : 7;
        csv.writeBytes(field(random, source, nullRate, badRate, quoteRate, table.dialect));
      }
      if (r + 1 < rows || random.nextBoolean()) {
        csv.writeBytes(lineEnd.getBytes(StandardCharsets.UTF_8));
      }
    }
    return csv.toByteArray();
  }

  private static int indexOf(String avroName) {
    for (int i = 0; i < AVRO_NAMES.length; i++) {
      if (AVRO_NAMES[i].equals(avroName)) {
        return i;
      }
    }
    throw new IllegalStateException(avroName);
  }

  private static byte[] field(Random random, int source, double nullRate, double badRate,
      double quoteRate, CsvDialect dialect) {
    double roll = random.nextDouble();
    if (roll < nullRate) {
      List<String> tokens = dialect.nullTokens();
      return random.nextInt(4) == 0 || tokens.isEmpty() ? new byte[0]
          : tokens.get(random.nextInt(tokens.size())).getBytes(StandardCharsets.UTF_8);
    }
    if (roll < nullRate + badRate) {
      if (random.nextInt(5) == 0) {
        return new byte[] {'a', (byte) 0xC3, 'b'}; // invalid UTF-8
      }
      if (random.nextInt(5) == 0) {
        return "\"a\nb\"".getBytes(StandardCharsets.UTF_8); // a quoted line break
      }
      return BAD[random.nextInt(BAD.length)].getBytes(StandardCharsets.UTF_8);
    }
    String text = text(random, source);
    if (random.nextDouble() < quoteRate || text.contains(",") || text.contains("\"")) {
      String quoted = source >= 6 && random.nextInt(5) == 0 ? text + "\"x" : text; // a doubled quote
      return ("\"" + quoted.replace("\"", "\"\"") + "\"").getBytes(StandardCharsets.UTF_8);
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Random random, int source) {
    if (source == 7) {
      return Integer.toString(random.nextInt(2000) - 1000);
    }
    if (source == 8) {
      return random.nextBoolean() ? "free text, with a comma" : "x" + random.nextInt(100);
    }
    String text = valueText(random, source);
    for (int i = 0; i < 3 && (text.startsWith("+") || text.startsWith("-")) && source >= 3; i++) {
      text = valueText(random, source); // mostly years of four digits: those parse
    }
    return text;
  }

  private static String valueText(Random random, int source) {
    Object value = BoundFilterDifferentialTest.randomValue(random, source);
    return switch (source) {
      case 0 -> random.nextBoolean() ? value.toString() : value.toString().toUpperCase(Locale.ROOT);
      case 2 -> Double.toString((Double) value);
      case 3 -> ((LocalDate) value).toString();
      case 4 -> {
        String time = ((LocalDateTime) value).toString();
        yield random.nextBoolean() ? time.replace('T', ' ') : time;
      }
      case 5 -> Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS).toString();
      default -> value.toString();
    };
  }
}
