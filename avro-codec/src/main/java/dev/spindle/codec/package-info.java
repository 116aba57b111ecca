/**
 * Spindle's record path: CSV bytes to typed Arrow batches to Avro or Parquet bytes.
 *
 * <p>The public API, in the order a job uses it:
 * <ul>
 *   <li>{@link dev.spindle.codec.CsvDialect} (+ {@link dev.spindle.codec.DialectSniffer}) — how
 *       the file is written;</li>
 *   <li>{@link dev.spindle.codec.SchemaInferrer} — header + sample records to a
 *       {@link dev.spindle.codec.TableSchema} of {@link dev.spindle.codec.Column}s with a
 *       {@link dev.spindle.codec.ColumnType}, and their Avro/Arrow mappings;</li>
 *   <li>{@link dev.spindle.codec.CsvTokenizer} into {@link dev.spindle.codec.RowSpans} — the
 *       hot loop, field spans without strings;</li>
 *   <li>{@link dev.spindle.codec.BatchBuilder} — chunks of records to Arrow batches, rejects to a
 *       {@link dev.spindle.codec.BadRecordSink} as {@link dev.spindle.codec.BadRecord}s;</li>
 *   <li>{@link dev.spindle.codec.AvroBatchWriter}, {@link dev.spindle.codec.ParquetBatchWriter} —
 *       selected rows of batches to a file on an {@code OutputStream};</li>
 *   <li>{@link dev.spindle.codec.AvroBatchReader}, {@link dev.spindle.codec.ParquetBatchReader} —
 *       files back to batches, for tests and inspection.</li>
 * </ul>
 * Nothing here knows about YARN or storage: bytes in, encoded bytes out.
 */
package dev.spindle.codec;
