package dev.spindle.jobs;

/** The output formats of the CSV conversion jobs. */
enum OutputFormat {
    AVRO("avro", "csv-to-avro", "deflate"),
    PARQUET("parquet", "csv-to-parquet", "snappy");

    private final String extension;
    private final String command;
    private final String defaultCodec;

    OutputFormat(String extension, String command, String defaultCodec) {
        this.extension = extension;
        this.command = command;
        this.defaultCodec = defaultCodec;
    }

    String extension() {
        return extension;
    }

    String command() {
        return command;
    }

    String defaultCodec() {
        return defaultCodec;
    }
}
