package dev.spindle.yarn;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.spindle.io.split.InputEncodings;

/**
 * The task-specific part of a job, as one immutable record per kind of job ({@code CsvJobSpec}
 * for the CSV jobs): dialect, schema, filter, output format and whatever else the
 * {@link BlockTask} reads. Built and validated once by the client, serialized once inside the
 * {@link JobSpec} and read as the same record by the AM and every worker; nothing downstream
 * parses option strings. In JSON the record carries its class name, so a worker deserializes the
 * type the client built.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@type")
public interface TaskSpec {

    /**
     * How block planning decodes the inputs' bytes: a declared charset, else byte order mark
     * detection (the default).
     */
    @JsonIgnore
    default InputEncodings inputEncodings() {
        return InputEncodings.detecting();
    }
}
