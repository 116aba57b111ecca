package dev.spindle.yarn;

import dev.spindle.io.split.InputEncodings;
import java.nio.charset.Charset;

/**
 * The test tasks' spec: an optional input charset (so planning sees it) and a note the tasks
 * carry through preparation, to show the prepared spec is the one the attempts get.
 *
 * @param charset declared input charset, or null to detect a byte order mark
 * @param note free text; {@link ByteCopyTask#prepare} appends the block count
 */
public record CopySpec(String charset, String note) implements TaskSpec {

    public static CopySpec plain() {
        return new CopySpec(null, "");
    }

    @Override
    public InputEncodings inputEncodings() {
        return charset == null ? InputEncodings.detecting() : InputEncodings.declared(Charset.forName(charset));
    }
}
